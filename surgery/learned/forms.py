"""The form a resource is shared with, and the organisers' buttons."""

from wtforms import SelectField, StringField, TextAreaField, ValidationError
from wtforms.validators import DataRequired, Length

from surgery.domain.resources import (
    NOTE_LIMIT,
    TITLE_LIMIT,
    URL_LIMIT,
    LinkRefused,
    normalised_link,
)
from surgery.forms import Form
from surgery.learned.services import Shared

NO_SESSION = ""


class WebAddress:
    """A link we keep: http or https only; the field holds it as it will be stored."""

    def __call__(self, form, field) -> None:
        try:
            field.data = normalised_link(field.data)
        except LinkRefused as refused:
            raise ValidationError(str(refused)) from refused


class ResourceForm(Form):
    """A link from the day, what it is, and a short note."""

    title = StringField(
        "What is it called?",
        validators=[
            DataRequired("Enter what the resource is called."),
            Length(max=TITLE_LIMIT, message=f"Keep the name under {TITLE_LIMIT} characters."),
        ],
    )
    url = StringField(
        "Web address (link)",
        validators=[
            DataRequired("Enter the web address, like https://example.org/guide."),
            # a generous cap before parsing: a huge paste is refused without work
            Length(
                max=URL_LIMIT * 2,
                message=f"That web address is too long: it may have at most {URL_LIMIT} characters.",
            ),
            WebAddress(),
        ],
    )
    note = TextAreaField(
        "A short note (optional)",
        validators=[
            Length(max=NOTE_LIMIT, message=f"Keep the note under {NOTE_LIMIT} characters.")
        ],
    )
    session = SelectField("Which part of the day is it from? (optional)", default=NO_SESSION)

    def set_sessions(self, sessions) -> None:
        """Offer the day's sessions, and 'the whole day'."""
        self.session.choices = [(NO_SESSION, "The whole day")] + [
            (str(s.id), s.title) for s in sessions
        ]

    def shared(self) -> Shared:
        """What was typed, as the service takes it."""
        session = self.session.data
        return Shared(
            title=self.title.data.strip(),
            url=self.url.data,
            note=(self.note.data or "").strip(),
            session_id=int(session) if session and session.isdigit() else None,
        )


class ButtonForm(Form):
    """Nothing to fill in: the button (and its CSRF token) is the answer."""
