"""The form that shortens how long data is kept."""

from wtforms import IntegerField
from wtforms.validators import InputRequired

from surgery.domain import retention
from surgery.forms import Form


class RetentionForm(Form):
    """Days after the day before each kind of data is removed; at most the defaults."""

    sensitive_days = IntegerField(
        "Sensitive answers are removed this many days after the day",
        validators=[InputRequired("Enter a number of days, like 30.")],
    )
    identity_days = IntegerField(
        "Names, email addresses and check-in codes are removed this many days after the day",
        validators=[InputRequired("Enter a number of days, like 365.")],
    )

    def validate(self, extra_validators=None) -> bool:
        """Each field, then the rules: shorter than the defaults, names after answers."""
        if not super().validate(extra_validators):
            return False
        found = retention.problems(self.periods())
        for name, problem in found.items():
            self[name].errors = [*self[name].errors, problem]
        return not found

    def periods(self) -> retention.Periods:
        """The periods typed."""
        return retention.Periods(self.sensitive_days.data, self.identity_days.data)
