"""The form of a message to a day's people, carried from the form to its preview and on."""

from wtforms import HiddenField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, ValidationError

from surgery.domain import day_messages as rules
from surgery.form_guards import Guarded
from surgery.forms import Form, MultiCheckboxField, choices


class DayMessageForm(Guarded, Form):
    """Which people, a subject and a message; the preview adds the number it showed."""

    audiences = MultiCheckboxField(
        "Who should get it?",
        choices=choices(rules.AUDIENCES.items()),
        validators=[DataRequired("Choose who should get it.")],
    )
    subject = StringField(
        "Subject",
        validators=[
            DataRequired("Enter a subject."),
            Length(
                max=rules.MAX_SUBJECT,
                message=f"Keep the subject under {rules.MAX_SUBJECT} characters.",
            ),
        ],
    )
    body = TextAreaField(
        "Message",
        validators=[
            DataRequired("Enter a message."),
            Length(
                max=rules.MAX_BODY, message=f"Keep the message under {rules.MAX_BODY} characters."
            ),
        ],
    )
    # how many people the preview said it would go to
    shown = HiddenField()

    def __init__(self, event, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.event = event

    def validate_subject(self, field) -> None:
        """One line, as typed (the cleaning would quietly join lines), and on a discreet
        day not naming the day."""
        raw = (field.raw_data or [""])[0] or ""
        problem = rules.subject_problem(raw, self.event.title, self.event.discreet)
        if problem:
            raise ValidationError(problem)

    def shown_count(self) -> int | None:
        """The number of people the preview showed, if it is one."""
        value = (self.shown.data or "").strip()
        return int(value) if value.isdigit() and len(value) < 7 else None

    def draft(self):
        """What was written, in the order the audiences are listed."""
        chosen = tuple(a for a in rules.AUDIENCES if a in set(self.audiences.data or ()))
        return rules.Draft(chosen, self.subject.data.strip(), self.body.data.strip("\n"))
