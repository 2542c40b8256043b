"""Forms to copy a day to another date, or to make a series of days from it."""

from wtforms import DateField, IntegerField, SelectField
from wtforms.validators import DataRequired, NumberRange, Optional

from surgery.domain.series import ORDINALS, WEEKDAYS
from surgery.forms import Form, SaneDate, choices

MONTHLY, WEEKLY = "monthly", "weekly"


class CopyForm(Form):
    """One new date for a copy of the day."""

    day = DateField("New date", validators=[DataRequired("Enter the new date."), SaneDate()])


class SeriesForm(Form):
    """'The first Saturday of each month' or 'every 2 weeks', from one date until another."""

    repeat = SelectField(
        "Repeat",
        choices=choices([(MONTHLY, "On one day of each month"), (WEEKLY, "Every few weeks")]),
        default=MONTHLY,
    )
    nth = SelectField(
        "Which one in the month",
        choices=choices((i + 1, name.capitalize()) for i, name in enumerate(ORDINALS)),
        coerce=int,
        default=1,
    )
    weekday = SelectField(
        "Day of the week",
        choices=choices(enumerate(WEEKDAYS)),
        coerce=int,
        default=5,
    )
    weeks = IntegerField(
        "Every how many weeks",
        default=2,
        validators=[Optional(), NumberRange(1, 52, "Enter a number of weeks from 1 to 52.")],
    )
    first = DateField("First date", validators=[DataRequired("Enter the first date."), SaneDate()])
    until = DateField("Last date", validators=[DataRequired("Enter the last date."), SaneDate()])
