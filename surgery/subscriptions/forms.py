"""The subscribe form, and the button that confirms or unsubscribes."""

from wtforms import EmailField
from wtforms.validators import DataRequired, Length

from surgery.forms import Form, MailableEmail


class SubscribeForm(Form):
    """An email address, and nothing else."""

    email = EmailField(
        "Your email address",
        validators=[
            DataRequired("Enter your email address."),
            MailableEmail("Enter an email address like name@example.org."),
            Length(max=254),
        ],
    )


class ButtonForm(Form):
    """Nothing to fill in: the button (and its CSRF token) is the answer."""
