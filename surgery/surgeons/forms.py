"""The volunteer form, and the same form on a surgeon's manage page."""

from wtforms import BooleanField, EmailField, HiddenField, IntegerField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from surgery.domain.dashboard import NEW_SURGEON_HELPS
from surgery.domain.languages import parse as parse_languages
from surgery.forms import Form, MailableEmail, MultiCheckboxField, RoleTagsGoTogether, choices
from surgery.surgeons.services import SurgeonDetails


class SurgeonForm(Form):
    """What a surgeon can help with, when, and how many people."""

    name = StringField("Your name", validators=[DataRequired("Enter your name."), Length(max=120)])
    sessions = MultiCheckboxField(
        "Which surgery sessions can you do?",
        coerce=int,
        validators=[DataRequired("Choose at least one surgery session you can do.")],
    )
    topics = MultiCheckboxField(
        "What can you help people with?",
        coerce=int,
        validators=[DataRequired("Choose at least one thing you can help with.")],
    )
    capacity = IntegerField(
        "How many people can you help in one session?",
        default=NEW_SURGEON_HELPS,
        validators=[
            DataRequired("Enter how many people you can help, from 1 to 10."),
            NumberRange(1, 10, "Enter a number from 1 to 10."),
        ],
    )
    bio = TextAreaField(
        "A few words about you, for the organisers and the people you help (optional)",
        validators=[Optional(), Length(max=1000)],
    )
    languages = StringField(
        "Languages besides English you can help in, such as BSL (optional)",
        validators=[Optional(), Length(max=200)],
    )
    role_tags = MultiCheckboxField(
        "About you (optional)", coerce=int, validators=[Optional(), RoleTagsGoTogether()]
    )
    consent = BooleanField(
        "I agree that you can store my answers about me, and show them only to the organisers"
    )

    def set_choices(self, sessions, role_tags, topics) -> None:
        """Offer the event's surgery sessions and the current vocabularies."""
        self.sessions.choices = choices((s.id, s.title) for s in sessions)
        self.role_tags.choices = choices((t.id, t.name) for t in role_tags)
        self.topics.choices = choices((t.id, t.name) for t in topics)

    def details(self, email: str) -> SurgeonDetails:
        """The answers as plain data."""
        return SurgeonDetails(
            name=self.name.data,
            email=email,
            topic_ids=self.topics.data or [],
            session_ids=self.sessions.data or [],
            capacity=self.capacity.data,
            bio=self.bio.data or "",
            languages=parse_languages(self.languages.data or ""),
            role_tag_ids=self.role_tags.data or [],
            consent=bool(self.consent.data),
        )


class VolunteerForm(SurgeonForm):
    """Volunteer for a surgery day."""

    email = EmailField(
        "Your email address",
        validators=[
            DataRequired("Enter your email address, so we can send your invites."),
            MailableEmail("Enter an email address like name@example.org."),
            Length(max=254),
        ],
    )
    form_key = HiddenField()
