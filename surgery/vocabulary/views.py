"""Organisers edit the role tags and topics people choose from."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for

from surgery import web
from surgery.audit import log
from surgery.auth.access import organiser_required
from surgery.domain import audit
from surgery.domain.session_changes import StaleForm
from surgery.extensions import db
from surgery.routing import form_id
from surgery.vocabulary import services
from surgery.vocabulary.forms import TermForm
from surgery.vocabulary.models import RoleTag, Topic

bp = Blueprint("vocabulary", __name__, url_prefix="/organise/vocabulary")

VOCABULARIES = {"role-tags": (RoleTag, "Role tags"), "topics": (Topic, "Topics")}
# how the audit log names a term: its kind and id, never its name
SUBJECTS = {RoleTag: "role tag", Topic: "topic"}


@bp.before_request
@organiser_required
def require_login():
    """Only organisers edit vocabularies."""


@bp.get("/")
def index():
    """Both vocabularies, with forms to add, rename and retire terms."""
    return _page()


@bp.post("/<kind>/add")
def add(kind: str):
    """Add a term."""
    model = _model(kind)
    form = TermForm(prefix=kind)
    if form.validate_on_submit():
        return _save(
            lambda: _logged(services.add(model, form.name.data), "added"),
            f"Added “{form.name.data}”.",
            kind,
            form,
        )
    return _page(kind, form), 400


@bp.post("/<kind>/<int:term_id>/rename")
def rename(kind: str, term_id: int):
    """Rename a term."""
    term = db.get_or_404(_model(kind), term_id)
    form = TermForm()
    if form.validate_on_submit():
        version = form_id(request.form.get("term_version", ""))
        return _save(
            lambda: _changed(
                term, lambda: services.rename(term, form.name.data, version), "renamed"
            ),
            "Renamed.",
            kind,
            form,
        )
    flash(f"Not renamed: {' '.join(form.name.errors)}", "error")
    return redirect(url_for(".index"), code=303)


@bp.post("/<kind>/<int:term_id>/active")
def set_active(kind: str, term_id: int):
    """Retire a term or bring it back."""
    term = db.get_or_404(_model(kind), term_id)
    active = request.form.get("active") == "1"
    said = f"“{term.name}” is {'offered again' if active else 'no longer offered'}."
    done = "offered again" if active else "retired"
    web.press(lambda: _changed(term, lambda: services.set_active(term, active), done), said)
    return redirect(url_for(".index"), code=303)


@bp.post("/role-tags/<int:term_id>/lived-experience")
def set_lived_experience(term_id: int):
    """Say whether surgeons with this role tag bring lived experience, for the matching."""
    tag = db.get_or_404(RoleTag, term_id)
    means = request.form.get("means") == "1"
    if means:
        said = f"Surgeons tagged “{tag.name}” now count as bringing lived experience."
    else:
        said = f"“{tag.name}” no longer counts as lived experience in the matching."
    done = "counts as lived experience" if means else "no longer counts as lived experience"
    web.press(lambda: _changed(tag, lambda: services.set_lived_experience(tag, means), done), said)
    return redirect(url_for(".index"), code=303)


def _changed(term, change, done: str):
    """Make a change to a term, and log it with the change."""
    change()
    return _logged(term, done)


def _logged(term, done: str):
    """An audit entry for a term: its kind and id, never its name."""
    log.record(audit.CHANGED_VOCABULARY, subject=f"{SUBJECTS[type(term)]} {term.id}", detail=done)
    return term


def _save(change, message: str, kind: str, form: TermForm):
    """Run a change, commit it, or show why not."""
    raced = []

    def refused(error) -> None:
        if isinstance(error, StaleForm):  # another rename was saved at the same moment
            raced.append(error)
            error = "Not renamed: someone else renamed it at the same moment."
        form.name.errors.append(str(error))

    if web.refused(web.run(change, refused)):
        return _page(kind, form), 409 if raced else 400
    flash(message, "success")
    return redirect(url_for(".index"), code=303)


def _model(kind: str):
    """The model for a vocabulary's URL name."""
    if kind not in VOCABULARIES:
        abort(404)
    return VOCABULARIES[kind][0]


def _page(failed_kind: str | None = None, failed_form: TermForm | None = None):
    """Render both vocabularies; the form that failed keeps what was typed."""
    sections = []
    for kind, (model, title) in VOCABULARIES.items():
        form = failed_form if kind == failed_kind else TermForm(formdata=None, prefix=kind)
        sections.append(
            {"kind": kind, "title": title, "terms": services.everything(model), "form": form}
        )
    return render_template("vocabulary/index.html", sections=sections)
