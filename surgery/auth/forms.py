"""Sign-in form."""

from wtforms import EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, Length

from surgery.forms import Form, MailableEmail


class LoginForm(Form):
    """An organiser's email and password."""

    email = EmailField("Email address", validators=[DataRequired("Enter your email address.")])
    password = PasswordField(
        "Password", validators=[DataRequired("Enter your password."), Length(max=200)]
    )


class DoorLoginForm(Form):
    """A check-in-only login for a door volunteer."""

    name = StringField(
        "Their name", validators=[DataRequired("Enter their name."), Length(max=120)]
    )
    email = EmailField(
        "Their email address",
        validators=[
            DataRequired("Enter their email address."),
            MailableEmail("Enter an email address like name@example.org."),
        ],
    )
    password = PasswordField(
        "A password for them (at least 10 characters)",
        validators=[DataRequired("Choose a password."), Length(min=10, max=200)],
    )
