"""The audit log page: who looked at people's data and who changed what, newest first."""

import datetime as dt

from flask import Blueprint, current_app, render_template, request

from surgery.audit import services
from surgery.auth.access import organiser_required
from surgery.domain import audit
from surgery.domain.times import local_to_utc, utc_to_local
from surgery.forms import SaneDate, sane_date
from surgery.routing import form_id

bp = Blueprint("audit", __name__, url_prefix="/organise/audit")

# GET   /organise/audit[?actor=&action=&event=&from=&to=&page=]   index


@bp.before_request
@organiser_required
def require_login():
    """Only full organisers read the audit log."""


@bp.get("")
def index():
    """One page of the log, filtered by organiser, action, day and dates; a filter that
    cannot be read is set aside with a message by its field."""
    actors, days = services.actors(), services.days()
    zone = current_app.config["DEFAULT_TIMEZONE"]
    filters, problems = _filters_from(request.args, actors, days, zone)
    page = _page_from(request.args, problems)
    entries, more = services.page_of(filters, page)
    shown = {key: request.args.get(key, "") for key in ("actor", "action", "event", "from", "to")}
    # the filters the page links keep: those given and readable
    kept = {key: value for key, value in shown.items() if value and key not in problems}
    return render_template(
        "audit/log.html",
        entries=entries,
        page=page,
        more=more,
        shown=shown,
        kept=kept,
        problems=problems,
        choices=_choices(actors, days),
        days=days,
        zone=zone,
        when=lambda moment: f"{utc_to_local(moment, zone):%Y-%m-%d %H:%M}",
    ), 400 if problems else 200


def _choices(actors: list[str], days: dict[int, str]) -> dict[str, list[tuple[str, str]]]:
    """Each filter's options, as (value, what the list shows)."""
    return {
        "actor": [(actor, actor) for actor in actors],
        "action": [(action, action.capitalize()) for action in audit.ACTIONS],
        "event": [(str(key), f"{title} (day {key})") for key, title in days.items()],
    }


def _filters_from(args, actors, days, zone: str) -> tuple[services.Filters, dict[str, str]]:
    """Read the filter form; a value no form of ours sends is ignored, with a message."""
    problems = {}
    actor, action, event_id = args.get("actor", ""), args.get("action", ""), None
    if actor and actor not in actors:
        problems["actor"], actor = "Choose an organiser from the list.", ""
    if action and action not in audit.ACTIONS:
        problems["action"], action = "Choose an action from the list.", ""
    if args.get("event"):
        event_id = form_id(args["event"])
        if event_id not in days:
            problems["event"], event_id = "Choose a day from the list.", None
    since, until = _date(args, "from", problems), _date(args, "to", problems)
    if since and until and since > until:
        problems["to"], until = "The end date is before the start date.", None
    return services.Filters(
        actor=actor,
        action=action,
        event_id=event_id,
        since=_start_of(since, zone),
        until=_start_of(until + dt.timedelta(days=1), zone) if until else None,
    ), problems


def _date(args, name: str, problems: dict[str, str]) -> dt.date | None:
    """A date from the form, or None (with a message if it was not a date we can use)."""
    value = args.get(name, "")
    if not value:
        return None
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        problems[name] = "Enter a date like 2027-03-06."
        return None
    if not sane_date(day):
        problems[name] = SaneDate.message
        return None
    return day


def _start_of(day: dt.date | None, zone: str) -> dt.datetime | None:
    """Midnight at the start of a local day, in UTC."""
    return None if day is None else local_to_utc(dt.datetime.combine(day, dt.time()), zone)


def _page_from(args, problems: dict[str, str]) -> int:
    """The page asked for, counting from 1; the first page if it is not a page number."""
    value = args.get("page", "1")
    page = form_id(value)
    if page is None:
        problems["page"] = "That is not a page number, so this is the first page."
        return 1
    return page
