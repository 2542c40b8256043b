"""Form pieces shared by several areas."""

import datetime as dt

from email_validator import EmailNotValidError, validate_email
from flask import g
from flask_wtf import FlaskForm
from wtforms import (
    EmailField,
    PasswordField,
    SelectChoice,
    SelectMultipleField,
    StringField,
    TextAreaField,
    ValidationError,
    widgets,
)
from wtforms.validators import DataRequired, Length

from surgery import text
from surgery.domain.answers import role_tags_problem

# Dates anyone may type: far enough either way for any surgery day, near enough that
# every date sum (a day later, a timezone away) stays a real date on every database.
EARLIEST_DATE, LATEST_DATE = dt.date(2000, 1, 1), dt.date(2100, 12, 31)
REFUSED = "form_refused"  # set in g when a form is shown again without being acted on


class Form(FlaskForm):
    """The base of every form: text fields are cleaned of control characters, a field
    sent twice is an error, and a refused request (too many tries) never validates."""

    class Meta:
        def bind_field(self, form, unbound_field, options):
            """Put the cleaning filter first on every text field but passwords."""
            kind = unbound_field.field_class
            if issubclass(kind, StringField) and not issubclass(kind, PasswordField):
                clean = text.lines if issubclass(kind, TextAreaField) else text.one_line
                given = options.get("filters") or unbound_field.kwargs.get("filters") or ()
                options["filters"] = [clean, *given]
            return unbound_field.bind(form=form, **options)

    def validate(self, extra_validators=None) -> bool:
        """Check every field, then that no single-valued field came more than once."""
        valid = super().validate(extra_validators)
        for field in self:
            if isinstance(field, SelectMultipleField) or len(field.raw_data or ()) < 2:
                continue
            field.errors = [*field.errors, "This was sent more than once. Fill it in once."]
            valid = False
        return valid

    def validate_on_submit(self, extra_validators=None) -> bool:
        """As Flask-WTF's, but False while the request is refused, keeping what was typed."""
        if g.get(REFUSED):
            return False
        return super().validate_on_submit(extra_validators)


class MultiCheckboxField(SelectMultipleField):
    """A group of checkboxes; the template draws it as a fieldset with a legend."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


class RoleTagsGoTogether:
    """Refuse "Prefer not to say" ticked together with other role tags."""

    def __call__(self, form, field) -> None:
        names = {choice.value: choice.label for choice in field.choices or []}
        problem = role_tags_problem(names.get(i, "") for i in field.data or [])
        if problem:
            raise ValidationError(problem)


def choices(pairs) -> list[SelectChoice]:
    """(value, label) pairs as the options of a select or checkbox group."""
    return [SelectChoice(value, label) for value, label in pairs]


def sane_date(date: dt.date | None) -> bool:
    """True for a date between EARLIEST_DATE and LATEST_DATE."""
    return date is not None and EARLIEST_DATE <= date <= LATEST_DATE


class SaneDate:
    """A date between 2000 and 2100: anything else is a typing slip."""

    message = "Enter a date between 2000 and 2100, like 2027-03-06."

    def __call__(self, form, field) -> None:
        if field.data is not None and not sane_date(field.data):
            raise ValidationError(self.message)


class MailableEmail:
    """An email address we can send to: well formed, and plain letters before the @.

    Mail servers take a non-ASCII domain in its IDNA form (we write it so when sending), but
    a non-ASCII name before the @ needs SMTPUTF8, which many servers refuse; better to say
    so now than to book someone whose confirmation can never arrive.
    """

    def __init__(self, message: str) -> None:
        self.message = message

    def __call__(self, form, field) -> None:
        if not field.data:
            return
        local, at, _ = field.data.strip().rpartition("@")
        if at and local.isprintable() and not local.isascii():
            raise ValidationError(
                "We cannot send email to an address with letters like é or ö before the @. "
                "If you have another address, use that."
            )
        try:
            validate_email(field.data, check_deliverability=False, allow_smtputf8=False)
        except EmailNotValidError as error:
            raise ValidationError(self.message) from error


class LostLinkForm(Form):
    """An email address to send its private links to."""

    email = EmailField(
        "Your email address",
        validators=[
            DataRequired("Enter the email address you booked with."),
            MailableEmail("Enter an email address like name@example.org."),
            Length(max=254),
        ],
    )
