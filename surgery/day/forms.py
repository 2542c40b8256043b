"""Forms for the day: a walk-in at the kiosk, a typed check-in code, feedback."""

from wtforms import BooleanField, EmailField, HiddenField, RadioField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from surgery.bookings.forms import AboutYouForm
from surgery.day.services import WalkIn
from surgery.domain import arrival
from surgery.forms import Form, MailableEmail, choices


class WalkInForm(AboutYouForm):
    """A walk-in: a name and what they want help with; everything else optional."""

    name = StringField(
        "Your name or a nickname",
        validators=[DataRequired("Tell us your name or a nickname."), Length(max=120)],
    )
    email = EmailField(
        "Email address (optional, for your notes and invites)",
        validators=[
            Optional(),
            MailableEmail("Check the email address, or leave it empty."),
            Length(max=254),
        ],
    )
    need = RadioField(
        "What do you need now?", choices=choices(arrival.NEEDS.items()), default=arrival.SURGEON
    )
    follow_up = BooleanField("Email me one question four weeks after the day")
    # a one-time key: a double tap on a slow tablet registers the person once
    create_key = HiddenField()

    def validate(self, extra_validators=None) -> bool:
        """Everything in its place, and for a surgeon something to help with: a topic or a
        few words."""
        valid = super().validate(extra_validators)
        wants_surgeon = self.need.data == arrival.SURGEON
        if wants_surgeon and not self.topics.data and not (self.help_text.data or "").strip():
            self.topics.errors = [*self.topics.errors, "Choose what you would like help with."]
            valid = False
        return valid

    def walk_in(self) -> WalkIn:
        """The answers as plain data."""
        return WalkIn(
            name=self.name.data,
            email=self.email.data or "",
            about=self.about(),
            need=self.need.data,
            follow_up=bool(self.follow_up.data),
        )


class CodeForm(Form):
    """A check-in code typed at the door."""

    code = StringField(
        "Check-in code", validators=[DataRequired("Type the code."), Length(max=300)]
    )


class FeedbackForm(Form):
    """What did you learn?"""

    learned = TextAreaField(
        "What did you learn?",
        validators=[DataRequired("Write a few words, or close this page."), Length(max=2000)],
    )
    share_publicly = BooleanField("You may share this on the website, without my name")
