"""Forms for signing in, passwords, invites and door logins."""

from wtforms import EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, Optional

from surgery.domain.accounts import MIN_PASSWORD_LENGTH
from surgery.forms import Form, MailableEmail

NEW_PASSWORD_HINT = (
    f"At least {MIN_PASSWORD_LENGTH} characters. A few words you will remember work well."
)


def _new_password(label: str = "New password") -> PasswordField:
    """A new password, long enough."""
    return PasswordField(
        label,
        validators=[
            DataRequired("Choose a password."),
            Length(
                min=MIN_PASSWORD_LENGTH,
                max=200,
                message=f"The password must be at least {MIN_PASSWORD_LENGTH} characters long.",
            ),
        ],
    )


def _same_again() -> PasswordField:
    """The new password typed a second time."""
    return PasswordField(
        "Type the new password again",
        validators=[
            DataRequired("Type the new password again."),
            EqualTo("password", "The two passwords are not the same."),
        ],
    )


def _their_email() -> EmailField:
    """Someone else's email address, one we can send to."""
    return EmailField(
        "Their email address",
        validators=[
            DataRequired("Enter their email address."),
            MailableEmail("Enter an email address like name@example.org."),
        ],
    )


class LoginForm(Form):
    """An organiser's email and password."""

    email = EmailField("Email address", validators=[DataRequired("Enter your email address.")])
    password = PasswordField(
        "Password", validators=[DataRequired("Enter your password."), Length(max=200)]
    )


class ForgotPasswordForm(Form):
    """The address to send a link for a new password to."""

    email = EmailField(
        "Email address",
        validators=[
            DataRequired("Enter your email address."),
            MailableEmail("Enter an email address like name@example.org."),
        ],
    )


class NewPasswordForm(Form):
    """A new password, typed twice, chosen through an emailed link."""

    password = _new_password()
    confirm = _same_again()


class ChangePasswordForm(Form):
    """A signed-in person's new password, with their current one."""

    current = PasswordField(
        "Current password",
        validators=[DataRequired("Enter your current password."), Length(max=200)],
    )
    password = _new_password()
    confirm = _same_again()


class InviteForm(Form):
    """Someone to invite as a co-organiser."""

    name = StringField(
        "Their name", validators=[DataRequired("Enter their name."), Length(max=120)]
    )
    email = _their_email()


class DoorLoginForm(Form):
    """A check-in-only login for a door volunteer: invited by email, or given a password."""

    name = StringField(
        "Their name", validators=[DataRequired("Enter their name."), Length(max=120)]
    )
    email = _their_email()
    password = PasswordField(
        "A password for them (optional)",
        validators=[
            Optional(),
            Length(
                min=MIN_PASSWORD_LENGTH,
                max=200,
                message=f"The password must be at least {MIN_PASSWORD_LENGTH} characters long.",
            ),
        ],
    )
