"""Forms for editing a vocabulary term."""

from wtforms import StringField
from wtforms.validators import DataRequired, Length

from surgery.forms import Form


class TermForm(Form):
    """A role tag's or topic's name."""

    name = StringField("Name", validators=[DataRequired("Enter a name."), Length(max=120)])
