"""Booking and manage-link forms."""

from wtforms import BooleanField, EmailField, HiddenField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from surgery.bookings.services import AboutYou
from surgery.domain.access import ACCESS_NEEDS
from surgery.domain.languages import parse as parse_languages
from surgery.forms import Form, MailableEmail, MultiCheckboxField, RoleTagsGoTogether, choices


class AboutYouForm(Form):
    """Who you are, what you want help with and what you need to take part."""

    topics = MultiCheckboxField(
        "What would you like help with?", coerce=int, validators=[Optional()]
    )
    help_text = TextAreaField(
        "Tell us more about what you would like help with (optional)",
        validators=[Optional(), Length(max=2000)],
    )
    languages = StringField(
        "Languages besides English you would like help in, such as BSL (optional)",
        validators=[Optional(), Length(max=200)],
    )
    # asked before the answers it covers, so people know what happens to them first
    consent = BooleanField(
        "I agree that you can store my answers about who I am (such as lived experience of "
        "mental health difficulties), what I need to take part, and whether I would like a "
        "surgeon with lived experience, and show them only to the organisers of this surgery"
    )
    role_tags = MultiCheckboxField(
        "About you (optional)", coerce=int, validators=[Optional(), RoleTagsGoTogether()]
    )
    access_needs = MultiCheckboxField(
        "What do you need to take part? (optional)",
        choices=choices(ACCESS_NEEDS.items()),
        validators=[Optional()],
    )
    access_other = TextAreaField(
        "Anything else we can do to help you take part (optional)",
        validators=[Optional(), Length(max=1000)],
    )
    wants_lived_experience = BooleanField(
        "I would like my surgeon to have lived experience of mental health difficulties, "
        "if possible"
    )
    share_with_surgeon = BooleanField(
        "My surgeon may see what I wrote about what I want help with, and my answers about "
        "me and my access needs, so they can prepare (only if you ticked the box above; "
        "otherwise they see my first name and the topics I chose)"
    )

    def set_vocabularies(self, role_tags, topics) -> None:
        """Offer the organiser's current role tags and topics."""
        self.role_tags.choices = choices((t.id, t.name) for t in role_tags)
        self.topics.choices = choices((t.id, t.name) for t in topics)

    def chose_terms(self) -> bool:
        """True when the form as sent chose a role tag or a topic, which must be checked
        against the vocabularies; a form that chose none needs them only to be shown."""
        return bool(self.role_tags.raw_data or self.topics.raw_data)

    def about(self) -> AboutYou:
        """The answers as plain data."""
        return AboutYou(
            role_tag_ids=self.role_tags.data or [],
            topic_ids=self.topics.data or [],
            help_text=self.help_text.data or "",
            access_needs=self.access_needs.data or [],
            access_other=self.access_other.data or "",
            consent=bool(self.consent.data),
            share_with_surgeon=bool(self.share_with_surgeon.data),
            wants_lived_experience=bool(self.wants_lived_experience.data),
            languages=parse_languages(self.languages.data or ""),
        )


class AddSessionsForm(Form):
    """Book more sessions of a day from the private link."""

    sessions = MultiCheckboxField(
        "Book more sessions",
        coerce=int,
        validators=[DataRequired("Choose at least one session to book.")],
    )


class BookingForm(AboutYouForm):
    """Book one or more sessions of a surgery day."""

    name = StringField(
        "Your name or a nickname",
        validators=[DataRequired("Enter your name or a nickname."), Length(max=120)],
    )
    email = EmailField(
        "Your email address",
        validators=[
            DataRequired("Enter your email address, so we can send your booking."),
            MailableEmail("Enter an email address like name@example.org."),
            Length(max=254),
        ],
    )
    sessions = MultiCheckboxField(
        "Which sessions would you like to book?",
        coerce=int,
        validators=[DataRequired("Choose at least one session to book.")],
    )
    form_key = HiddenField()
    follow_up = BooleanField("Yes, ask me once, four weeks after the day")
