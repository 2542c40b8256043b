"""Form pieces shared by several areas."""

from email_validator import EmailNotValidError, validate_email
from flask_wtf import FlaskForm
from wtforms import EmailField, SelectChoice, SelectMultipleField, ValidationError, widgets
from wtforms.validators import DataRequired, Length


class MultiCheckboxField(SelectMultipleField):
    """A group of checkboxes; the template draws it as a fieldset with a legend."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


def choices(pairs) -> list[SelectChoice]:
    """(value, label) pairs as the options of a select or checkbox group."""
    return [SelectChoice(value, label) for value, label in pairs]


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


class LostLinkForm(FlaskForm):
    """An email address to send its private links to."""

    email = EmailField(
        "Your email address",
        validators=[
            DataRequired("Enter the email address you booked with."),
            MailableEmail("Enter an email address like name@example.org."),
            Length(max=254),
        ],
    )
