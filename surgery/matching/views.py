"""The matching page for one surgery session: suggestions, locking, accepting."""

from flask import Blueprint, abort, redirect, render_template, request, url_for

from surgery.audit import log
from surgery.auth.access import organiser_required
from surgery.confirm import ask_first
from surgery.domain import audit
from surgery.events.views import surgery_session_or_404
from surgery.matching import previews, services
from surgery.routing import form_id
from surgery.web import press

bp = Blueprint("matching", __name__, url_prefix="/organise/sessions/<int:session_id>/matching")

# GET   /organise/sessions/<sid>/matching                   page
# POST  /organise/sessions/<sid>/matching/accept            accept (one pair, or all shown)
# POST  /organise/sessions/<sid>/matching/lock              lock (a suggestion, or by hand)
# POST  /organise/sessions/<sid>/matching/<mid>/unlock      unlock


@bp.before_request
@organiser_required
def require_login():
    """Only organisers match."""


@bp.get("")
def page(session_id: int):
    """Suggested pairs, fixed pairs and who is left unpaired, with why."""
    session = surgery_session_or_404(session_id)
    log.viewed(audit.VIEWED_MATCHING, session.event_id, subject=f"session {session.id}")
    return render_template("matching/page.html", plan=services.plan(session), session=session)


@bp.post("/accept")
def accept(session_id: int):
    """Accept the pairs sent (one, or every suggestion on the page) and tell people; many
    at once are accepted after asking once, as they email many people."""
    session = surgery_session_or_404(session_id)
    pairs = _pairs()
    back = url_for(".page", session_id=session.id)
    if len(pairs) > 1 and (asking := ask_first(lambda: previews.accepting(session, pairs), back)):
        return asking
    return _change(session, lambda: services.accept(session, pairs), "{n} accepted")


@bp.post("/lock")
def lock(session_id: int):
    """Fix a pair so matching again keeps it (also how a pair is changed by hand)."""
    session = surgery_session_or_404(session_id)
    pairs = _pairs()
    if len(pairs) != 1:
        abort(400)
    return _change(session, lambda: [services.lock(session, *pairs[0])], "Pair locked")


@bp.post("/<int:match_id>/unlock")
def unlock(session_id: int, match_id: int):
    """Let matching decide a locked pair again."""
    session = surgery_session_or_404(session_id)
    return _change(session, lambda: [services.unlock(session, match_id)], "Pair unlocked")


def _change(session, action, message: str):
    """Run a change, commit once, and come back to the page with what happened."""

    def said(done) -> str:
        count = len(done)
        return message.format(n=f"{count} pair{'s' if count != 1 else ''}") + "."

    press(action, said)
    return redirect(url_for(".page", session_id=session.id), code=303)


def _pairs() -> list[tuple[int, int]]:
    """Pairs sent as 'booking:surgeon' values; anything else is a bad request."""
    pairs = []
    for value in request.form.getlist("pair"):
        booking_id, _, surgeon_id = (form_id(part) for part in value.partition(":"))
        if booking_id is None or surgeon_id is None:
            abort(400)
        pairs.append((booking_id, surgeon_id))
    if not pairs:
        abort(400)
    return pairs
