"""Hidden fields that keep organisers from undoing each other's work or saving a row twice.

An edit form carries the version of the row it showed and the values it showed, so a save
from an older page is refused with a list of what changed since. A create form carries a
one-time key, so pressing it twice makes one row.
"""

import json

from wtforms import HiddenField, SelectField

from surgery.domain.session_changes import differences
from surgery.domain.tokens import is_form_key, new_form_key
from surgery.routing import form_id


class Guarded:
    """Fields for a form that edits a row (version, seen) or makes one (create_key).

    CHANGE_NAMES: the fields compared when a save is refused, with their short names.
    """

    CHANGE_NAMES: dict[str, str] = {}

    edit_version = HiddenField()
    seen = HiddenField()
    create_key = HiddenField()

    def remember(self, version: int) -> None:
        """Carry the row's version and the values shown, as the page is drawn."""
        self.edit_version.data = str(version)
        self.seen.data = json.dumps(shown(self))

    def new_key(self) -> None:
        """A fresh one-time key for a create form, as the page is first drawn."""
        self.create_key.data = new_form_key()

    def given_version(self) -> int | None:
        """The version the page sent; None if it sent none (such a save is refused)."""
        return form_id((self.edit_version.raw_data or [""])[0].strip())

    def given_key(self) -> str | None:
        """The create form's one-time key, if it is one we could have made."""
        return self.create_key.data if is_form_key(self.create_key.data) else None

    def changed_since(self, current: "Guarded") -> list[str]:
        """'Capacity: 5 → 8' for each value that differs between this page and `current`."""
        try:
            seen = json.loads(self.seen.data or "{}")
        except ValueError:
            seen = {}
        if not isinstance(seen, dict):
            seen = {}
        names = self.CHANGE_NAMES
        before = {names[key]: str(seen.get(key, "")) for key in names}
        after = {names[key]: value for key, value in shown(current).items()}
        return differences(before, after)


def shown(form: Guarded) -> dict[str, str]:
    """The values a form shows for its compared fields, as a person reads them."""
    values = {}
    for name in form.CHANGE_NAMES:
        field = form[name]
        if isinstance(field, SelectField):
            labels = {str(c[0]): str(c[1]) for c in field.iter_choices()}
            values[name] = labels.get(str(field.data), str(field.data or ""))
        else:
            values[name] = field._value()
    return values
