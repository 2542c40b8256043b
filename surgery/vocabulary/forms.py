"""Forms for editing a vocabulary term."""

from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired, Length


class TermForm(FlaskForm):
    """A role tag's or topic's name."""

    name = StringField("Name", validators=[DataRequired("Enter a name."), Length(max=120)])
