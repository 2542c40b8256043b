"""The reminder's confirmation form and the follow-up's question."""

from wtforms import BooleanField, RadioField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from surgery.domain.reminders import USED_CHOICES
from surgery.forms import Form, choices


class AnswerForm(Form):
    """Nothing to fill in: the button (and its CSRF token) is the answer."""


class FollowUpForm(Form):
    """Have you used what you learned?"""

    used = RadioField(
        "Have you used what you learned?",
        choices=choices(USED_CHOICES),
        validators=[InputRequired("Choose yes, a little or not yet.")],
    )
    words = TextAreaField(
        "Anything you would like to tell us (optional)",
        validators=[Optional(), Length(max=2000, message="Keep it under 2,000 characters.")],
    )
    share = BooleanField("You may share this without my name")
