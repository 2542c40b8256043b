"""Form pieces shared by several areas."""

from wtforms import SelectChoice, SelectMultipleField, widgets


class MultiCheckboxField(SelectMultipleField):
    """A group of checkboxes; the template draws it as a fieldset with a legend."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


def choices(pairs) -> list[SelectChoice]:
    """(value, label) pairs as the options of a select or checkbox group."""
    return [SelectChoice(value, label) for value, label in pairs]
