"""Organisers' screens in step: the changing part of the floor and of check-in, built once
per change and shared by every screen, and a stream that says when the day has changed.

A screen listens to the stream (server-sent events) and fetches the fragment when told;
without the stream it polls the fragment, which answers 304 while nothing has changed;
without JavaScript the page reloads itself.
"""

import threading
import time

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    render_template,
    request,
)
from flask_login import current_user, login_required
from flask_wtf.csrf import generate_csrf

from surgery.auth.access import organiser_required
from surgery.database import utcnow
from surgery.day import changes, door, services
from surgery.day.changes import DayChange
from surgery.domain import search_key
from surgery.events.models import Event
from surgery.events.views import surgery_session_or_404
from surgery.extensions import db
from surgery.matching import last_time

bp = Blueprint("live", __name__, url_prefix="/organise")

# GET  /organise/sessions/<sid>/floor/events     floor_events (text/event-stream)
# GET  /organise/events/<id>/checkin/live        checkin_fragment (?q= as the page)
# GET  /organise/events/<id>/checkin/events      checkin_events (text/event-stream)
# (the floor's fragment is /organise/sessions/<sid>/floor/live, answered by floor_fragment)

# Each user's CSRF token is put back into the shared copy as it is sent.
CSRF_MARK = "\x00csrf\x00"
MAX_COPIES = 256


class Fragments:
    """Rendered fragments by (what, id, counter, minute): built by the first screen to ask
    after a change while the others wait for it, then shared by all of them."""

    def __init__(self) -> None:
        self.copies: dict[tuple, str] = {}
        self.building: dict[tuple, threading.Lock] = {}
        self.lock = threading.Lock()

    def get(self, key: tuple, build) -> str:
        """The copy for this key, built once."""
        with self.lock:
            if (copy := self.copies.get(key)) is not None:
                return copy
            building = self.building.setdefault(key, threading.Lock())
        with building:
            with self.lock:
                if (copy := self.copies.get(key)) is not None:
                    return copy
            try:
                copy = build()
                with self.lock:
                    if len(self.copies) >= MAX_COPIES:
                        self.copies.clear()
                    self.copies[key] = copy
            finally:
                with self.lock:
                    self.building.pop(key, None)
        return copy


fragments = Fragments()
states = Fragments()  # the floor's state by (session, counter, minute), as fragments are


@bp.app_template_global("live_version")
def _version(event_id: int) -> str:
    """What a screen's copy is as of: the day's counter, and the minute (waits are shown in
    whole minutes, so a copy is good for one minute at most)."""
    return f"{changes.counter(event_id)}-{utcnow().strftime('%H%M')}"


def _shared(key: tuple, version: str, template: str, context) -> Response:
    """A fragment as of this version: 304 when the screen has it, else the shared copy;
    context() reads what the template shows, only when no copy is kept yet."""
    etag = f'"{version}"'
    if request.headers.get("If-None-Match") == etag:
        return Response(status=304, headers={"ETag": etag})

    def build() -> str:
        token = generate_csrf()
        return render_template(template, **context()).replace(token, CSRF_MARK)

    body = fragments.get((*key, version), build).replace(CSRF_MARK, generate_csrf())
    return Response(body, headers={"ETag": etag})


def floor_now(session, now_on_the_floor, version: str | None = None) -> dict:
    """What is on the floor as of the day's version, worked out once per change and shared
    by every screen on this session, the full page and its live part alike: plain data, so
    one request's copy is safe to hand to another."""
    version = version or _version(session.event_id)
    return states.get(("floor", session.id, version), lambda: now_on_the_floor(session))


def floor_page(session, now_on_the_floor) -> dict:
    """What the full floor page shows: the shared state, and the version it is as of, from
    which the page's screen then asks for changes."""
    version = _version(session.event_id)
    return {"version": version, **floor_now(session, now_on_the_floor, version)}


def floor_fragment(session, now_on_the_floor) -> Response:
    """The floor's changing part, shared by every screen on this session; what is on the
    floor now is built by `now_on_the_floor(session)` (the floor, the wait line), once per
    version (floor_now)."""
    version = _version(session.event_id)
    return _shared(
        ("floor", session.id),
        version,
        "day/_floor_live.html",
        lambda: {"session": session, **floor_now(session, now_on_the_floor, version)},
    )


@bp.get("/events/<int:event_id>/checkin/live")
@login_required
def checkin_fragment(event_id: int):
    """The check-in list and counts, as the page shows them for this search."""
    event = _checkin_event_or_404(event_id)
    search = request.args.get("q", "")
    words = " ".join(search_key.words(search))

    return _shared(
        ("checkin", event.id, words),
        _version(event.id),
        "day/_checkin_live.html",
        lambda: at_the_door(event, search),
    )


def at_the_door(event: Event, search: str) -> dict:
    """What check-in shows for this search: a page of people (door.door_page), who of them
    was helped on a day before, and the day's counts (of everyone, whatever the search)."""
    page = door.door_page(event, search)
    return {
        "event": event,
        "people": page.people,
        "found": page.found,
        "helped_before": last_time.helped_before(event.id, [p.registration for p in page.people]),
        "counts": page.counts,
        "search": search,
    }


@bp.get("/sessions/<int:session_id>/floor/events")
@organiser_required
def floor_events(session_id: int):
    """Tells a floor screen each time its day changes."""
    return _stream(surgery_session_or_404(session_id).event_id)


@bp.get("/events/<int:event_id>/checkin/events")
@login_required
def checkin_events(event_id: int):
    """Tells a check-in screen each time its day changes."""
    return _stream(_checkin_event_or_404(event_id).id)


def _checkin_event_or_404(event_id: int) -> Event:
    """The day, if this login may check people in for it (as the check-in page decides)."""
    event = db.get_or_404(Event, event_id)
    if not (current_user.is_organiser or services.door_may_open(event)):
        abort(404)
    return event


def _stream(event_id: int) -> Response:
    """A short event stream: the counter now, then each new value, for LIVE_STREAM_SECONDS;
    the browser then connects again by itself. The counter is read on a connection of its
    own each time, so the stream holds no transaction and no pooled connection between looks."""
    config = current_app.config
    seconds, every = config["LIVE_STREAM_SECONDS"], config["LIVE_CHECK_SECONDS"]
    engine = db.engine
    db.session.close()  # give back the request's connection before the long wait
    return Response(
        watch(engine, event_id, seconds, every),
        mimetype="text/event-stream",
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
    )


def watch(engine, event_id: int, seconds: float, every: float):
    """The stream's lines: an event whenever the day's counter moves, a comment now and then
    so a closed screen is noticed."""
    yield "retry: 1000\n\n"
    seen, quiet = None, 0.0
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        now = read_counter(engine, event_id)
        if now != seen:
            seen, quiet = now, 0.0
            yield f"event: change\nid: {now}\ndata: {now}\n\n"
        elif quiet >= 10:
            quiet = 0.0
            yield ": still here\n\n"
        time.sleep(every)
        quiet += every


def read_counter(engine, event_id: int) -> int:
    """The day's counter, read outside any request: a plain read on the driver's connection,
    so SQLite takes no write lock (the app begins a request's own transactions itself)."""
    connection = engine.raw_connection()
    try:
        cursor = connection.cursor()
        table = DayChange.__tablename__
        cursor.execute(f"SELECT counter FROM {table} WHERE event_id = {int(event_id)}")
        row = cursor.fetchone()
        cursor.close()
        connection.rollback()  # PostgreSQL's driver began a transaction for the read
        return row[0] if row else 0
    finally:
        connection.close()
