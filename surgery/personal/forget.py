"""Forgetting sensitive answers: on withdrawn consent, when they fall due, on a day's removal.

Sensitive answers are what someone told us about their health or circumstances: role tags
(such as lived experience of mental health difficulties), access needs, what they want help
with, languages and whether they asked for someone with lived experience. The person's place,
their topics and the day's numbers are untouched, so nothing else about the day changes.
"""

from surgery.bookings.models import Registration
from surgery.surgeons.models import Surgeon


def forget_answers(registration: Registration) -> None:
    """Remove an attendee's sensitive answers and the consents that kept them."""
    registration.role_tags = []
    registration.access_needs = []
    registration.access_other = ""
    registration.help_text = ""
    registration.languages = []
    registration.wants_lived_experience = False
    registration.consent_sensitive = False
    registration.share_with_surgeon = False
    registration.consent_at = None


def forget_surgeon_answers(surgeon: Surgeon) -> None:
    """Remove what a surgeon told us about themselves (role tags such as lived experience)."""
    surgeon.role_tags = []
    surgeon.consent_sensitive = False


def has_answers(registration: Registration) -> bool:
    """True while any sensitive answer of an attendee is kept."""
    return bool(
        registration.role_tags
        or registration.access_needs
        or registration.access_other
        or registration.help_text
        or registration.languages
        or registration.wants_lived_experience
        or registration.consent_sensitive
    )
