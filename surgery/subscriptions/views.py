"""Subscribe, confirm and unsubscribe pages.

A link opens a page whose button (a POST with its CSRF token) does the change; nothing
changes on a GET. The one exception is RFC 8058's one-click unsubscribe: a mail program
POSTs `List-Unsubscribe=One-Click` to the link in the List-Unsubscribe header, without a
page or a CSRF token; the token in the link is the key.
"""

from flask import Blueprint, abort, render_template, request

from surgery import limits, web
from surgery.domain.errors import NotFound
from surgery.extensions import csrf
from surgery.subscriptions import services
from surgery.subscriptions.forms import ButtonForm, SubscribeForm

bp = Blueprint("subscriptions", __name__)

# GET,POST  /subscribe                          subscribe
# GET,POST  /subscribe/<id>/confirm/<token>     confirm
# GET,POST  /subscribe/<id>/stop/<token>        unsubscribe


@bp.route("/subscribe", methods=["GET", "POST"])
@limits.public_form
def subscribe():
    """The form; the same answer for every address."""
    form = SubscribeForm()
    if form.validate_on_submit():
        web.run(lambda: services.subscribe(form.email.data))
        return render_template("subscriptions/sent.html")
    page = render_template("subscriptions/subscribe.html", form=form)
    return page, 400 if form.errors else 200


@bp.route("/subscribe/<int:id>/confirm/<token>", methods=["GET", "POST"])
@limits.public_form
def confirm(id: int, token: str):
    """The confirmation link's page; its button confirms."""
    _known(id, services.CONFIRM, token)
    return _button_page(lambda: services.confirm(id, token), confirming=True)


@bp.route("/subscribe/<int:id>/stop/<token>", methods=["GET", "POST"])
@csrf.exempt
def unsubscribe(id: int, token: str):
    """The unsubscribe link's page (its button asks with CSRF), or RFC 8058's one click."""
    if request.method == "POST" and request.form.get("List-Unsubscribe") == "One-Click":
        _known(id, services.UNSUBSCRIBE, token)
        web.run(lambda: services.unsubscribe(id, token))
        return "", 204
    _known(id, services.UNSUBSCRIBE, token)
    return _button_page(lambda: services.unsubscribe(id, token), confirming=False)


def _button_page(act, confirming: bool):
    """A link's page with its one button (and CSRF token); pressed, it acts and says so."""
    form = ButtonForm()
    if form.validate_on_submit():
        web.run(act)
        return render_template("subscriptions/done.html", confirmed=confirming)
    page = render_template("subscriptions/button.html", form=form, confirming=confirming)
    return page, 400 if form.errors else 200


def _known(subscriber_id: int, purpose: str, token: str) -> None:
    """A 404 for a link that is wrong, or whose subscription is gone."""
    try:
        services.subscriber_for(subscriber_id, purpose, token)
    except NotFound:
        abort(404)
