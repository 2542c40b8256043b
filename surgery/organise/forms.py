"""Forms for events and their sessions."""

import datetime as dt

from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import (
    DataRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from surgery.domain.online import IN_PERSON, MAX_URL, MODES, url_problem
from surgery.domain.reminders import DEFAULT_DAYS_BEFORE, LONGEST_DAYS_BEFORE
from surgery.domain.times import is_timezone
from surgery.events.models import OPEN_SPACE, SESSION_KINDS
from surgery.form_guards import Guarded
from surgery.forms import Form, MailableEmail, SaneDate, choices


class EventForm(Guarded, Form):
    """A surgery day: what, where and in which timezone."""

    CHANGE_NAMES = {
        "title": "Title",
        "description": "Description",
        "venue_name": "Venue",
        "venue_address": "Address",
        "city": "Town or city",
        "access_info": "Access information",
        "timezone": "Timezone",
        "organiser_email": "Organiser email",
        "grace_minutes": "Grace period",
        "reminder_days": "Reminders",
    }

    title = StringField("Title", validators=[DataRequired("Enter a title."), Length(max=200)])
    description = TextAreaField("Description", validators=[Optional(), Length(max=5000)])
    venue_name = StringField(
        "Venue", validators=[DataRequired("Enter the venue."), Length(max=200)]
    )
    venue_address = TextAreaField("Address", validators=[Optional(), Length(max=1000)])
    city = StringField(
        "Town or city", validators=[DataRequired("Enter the town or city."), Length(max=100)]
    )
    access_info = TextAreaField(
        "Access information (step-free entry, toilets, quiet room, transport)",
        validators=[Optional(), Length(max=3000)],
    )
    timezone = StringField(
        "Timezone", default="Europe/London", validators=[DataRequired("Enter a timezone.")]
    )
    organiser_email = EmailField(
        "Organiser email (replies and calendar invites come from here)",
        validators=[
            Optional(),
            MailableEmail("Enter an email address like name@example.org."),
        ],
    )

    discreet = BooleanField(
        "Use neutral wording in emails and calendar invites",
        description='Subjects and calendar titles say only "Drop-in session, Saturday 10am", '
        "and emails and invites call it a drop-in session, never by its title, so a lock "
        "screen, a shared calendar or an open email shows nothing about the day. The venue "
        "and the private link stay.",
    )

    grace_minutes = IntegerField(
        "Grace period on the day, in minutes",
        default=15,
        description="How long after a session starts people with a place have to arrive. "
        "After that, an organiser can give the places of people not here to people on the "
        "waiting list who are.",
        validators=[Optional(), NumberRange(0, 240, "Enter a number of minutes from 0 to 240.")],
    )
    reminder_days = IntegerField(
        "Send reminders this many days before each session",
        default=DEFAULT_DAYS_BEFORE,
        description="Each person booked, and each surgeon, gets one reminder per session, "
        "with a link to say they are still coming or to give their place to the waiting "
        "list. 0 sends no reminders; left empty, 2.",
        validators=[
            Optional(),
            NumberRange(0, LONGEST_DAYS_BEFORE, f"Enter 0 to {LONGEST_DAYS_BEFORE} days."),
        ],
    )

    def validate_timezone(self, field) -> None:
        """Only IANA names such as Europe/London."""
        if not is_timezone(field.data.strip()):
            raise ValidationError("Enter a timezone name such as Europe/London.")


class SessionForm(Guarded, Form):
    """A part of the day, with times in the event's timezone."""

    CHANGE_NAMES = {
        "kind": "Kind",
        "title": "Title",
        "day": "Date",
        "starts": "Starts",
        "ends": "Ends",
        "capacity": "Capacity",
        "mode": "Where",
        "online_url": "Video link",
    }

    kind = SelectField("Kind", choices=choices(SESSION_KINDS.items()))
    title = StringField("Title", validators=[DataRequired("Enter a title."), Length(max=200)])
    day = DateField(
        "Date", validators=[DataRequired("Enter the date, like 2027-03-06."), SaneDate()]
    )
    starts = TimeField("Starts", validators=[DataRequired("Enter the start time, like 10:00.")])
    ends = TimeField("Ends", validators=[DataRequired("Enter the end time, like 12:30.")])
    capacity = IntegerField(
        "Places (not needed for open space)",
        validators=[
            Optional(),
            NumberRange(min=1, max=10000, message="Places must be between 1 and 10,000."),
        ],
    )

    mode = SelectField("Where it takes place", choices=choices(MODES.items()), default=IN_PERSON)
    online_url = StringField("Video link", validators=[Length(max=MAX_URL + 100)])

    def validate_online_url(self, field) -> None:
        """An https link for online and hybrid sessions, none for sessions in person."""
        problem = url_problem(field.data or "", self.mode.data or "")
        if problem:
            raise ValidationError(problem)

    def validate_ends(self, field) -> None:
        """A session ends after it starts."""
        if self.starts.data and field.data and field.data <= self.starts.data:
            raise ValidationError("The end time must be after the start time.")

    def validate(self, extra_validators=None) -> bool:
        """Check each field, then that surgeries and workshops have a number of places."""
        valid = super().validate(extra_validators)
        capacity = self.capacity
        if self.kind.data != OPEN_SPACE and capacity.data is None and not capacity.errors:
            capacity.errors = [*capacity.errors, "Enter how many people can book, 1 or more."]
            valid = False
        return valid

    def local_times(self) -> tuple[dt.datetime, dt.datetime]:
        """Start and end as wall-clock datetimes at the event's place."""
        return (
            dt.datetime.combine(self.day.data, self.starts.data),
            dt.datetime.combine(self.day.data, self.ends.data),
        )
