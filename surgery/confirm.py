"""Ask once before a change that cancels something or emails many people.

The button posts as usual; without `confirmed=yes` the answer is a page saying what will
happen and how many people will be emailed, whose "Yes" button posts the same form again
with `confirmed=yes`. Only that second post changes anything. No JavaScript is needed.
"""

from collections.abc import Callable

from flask import render_template, request

from surgery.domain.asking import WhatHappens

CONFIRMED = "confirmed"


def is_confirmed() -> bool:
    """True when the person has already said yes to the change."""
    return request.form.get(CONFIRMED) == "yes"


def ask_first(what_happens: Callable[[], WhatHappens], back: str):
    """The page asking first, or None once the person said yes (the caller then acts).

    `what_happens` is called only when asking, so a confirmed press reads nothing twice;
    `back` is where "No, go back" leads.
    """
    if is_confirmed():
        return None
    action = request.path + (f"?{request.query_string.decode()}" if request.query_string else "")
    # the form's own fields go round again with the answer (a name may repeat)
    keep = [(k, v) for k, v in request.form.items(multi=True) if k not in ("csrf_token", CONFIRMED)]
    page = render_template(
        "confirm.html", what=what_happens(), action=action, back=back, fields=keep
    )
    return page, 200
