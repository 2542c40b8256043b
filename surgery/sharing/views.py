"""The day's share image, the Atom feed of upcoming days, robots.txt, the sitemap and the
favicon. Every address in them comes from PUBLIC_BASE_URL, never from the request's Host."""

from pathlib import Path
from xml.etree import ElementTree as ET

from flask import Blueprint, Response, abort, current_app, request

from surgery.database import utcnow
from surgery.events import services
from surgery.learned import services as learned
from surgery.links import public_url
from surgery.sharing import image, meta

bp = Blueprint("sharing", __name__)
ATOM = "http://www.w3.org/2005/Atom"
SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"
# pages that hold someone's token or are only for organisers: never crawled
PRIVATE_PATHS = (
    "/organise",
    "/bookings/",
    "/volunteer/",
    "/account",
    "/kiosk",
    "/feedback/",
    "/follow-up/",
    "/reminders/",
    "/login",
    "/lost-link",
    "/your-data-deleted",
    "/subscribe/",
    "/share-resource/",
)
FAVICON = Path(__file__).resolve().parents[2] / "static" / "favicon.svg"


@bp.app_context_processor
def cards():
    """Every page may ask for its card; only the listed public pages have one."""
    return {"page_card": meta.page_card}


def image_png(event_id: int):
    """A day's card picture, drawn once per version of the day."""
    event = services.published_event(event_id)
    if event is None:
        abort(404)
    key = (event.id, meta.image_version(event))
    etag = f"share-{event.id}-{key[1]}"
    if request.if_none_match.contains(etag):
        return Response(status=304, headers={"ETag": f'"{etag}"'})
    png = image.cached_png(key, *meta.picture_lines(event), current_app.config["SITE_NAME"])
    response = Response(png, mimetype="image/png")
    response.set_etag(etag)
    response.cache_control.public = True
    response.cache_control.max_age = 3600
    return response


bp.add_url_rule(
    "/events/<int:event_id>/share.png", endpoint="image", view_func=image_png, methods=["GET"]
)


@bp.get("/feed.atom")
def atom():
    """Upcoming published days, soonest first, then the 'what we learned' pages of recent
    days that are over (RFC 4287)."""
    config = current_app.config
    zone = config["DEFAULT_TIMEZONE"]
    events = services.upcoming_events(services.Filters(), zone)
    home = public_url("events.upcoming")
    feed = ET.Element("feed", xmlns=ATOM)
    _text(feed, "title", f"{config['SITE_NAME']}: upcoming days")
    _text(feed, "id", public_url("sharing.atom"))
    learned_days = [(e, learned.last_change(e)) for e in learned.recent_days(zone)]
    changes = [e.updated_at for e in events] + [changed for _e, changed in learned_days]
    updated = max(changes, default=None) or utcnow()
    _text(feed, "updated", _stamp(updated))
    ET.SubElement(feed, "link", rel="self", href=public_url("sharing.atom"))
    ET.SubElement(feed, "link", rel="alternate", href=home)
    ET.SubElement(ET.SubElement(feed, "author"), "name").text = config["SITE_NAME"]
    for event in events:
        card = meta.event_card(event)
        _entry(feed, event.title, card["url"], event.updated_at, card["description"])
    for event, changed in learned_days:
        url = public_url("learned.page", event_id=event.id)
        _entry(feed, f"What we learned at {event.title}", url, changed, meta.learned_summary(event))
    body = ET.tostring(feed, encoding="unicode", xml_declaration=False)
    return Response(
        '<?xml version="1.0" encoding="utf-8"?>\n' + body, mimetype="application/atom+xml"
    )


@bp.get("/sitemap.xml")
def sitemap():
    """The public pages: the lists, the privacy page, every day that is not a draft and the
    'what we learned' page of each published day that is over."""
    zone = current_app.config["DEFAULT_TIMEZONE"]
    urls = ET.Element("urlset", xmlns=SITEMAP)
    listed = ("events.upcoming", "events.past", "retention.privacy", "subscriptions.subscribe")
    pages = [public_url(p) for p in listed]
    events = services.upcoming_events(services.Filters(), zone)
    events += services.past_events(services.Filters(), zone)
    pages += [public_url("events.detail", event_id=e.id) for e in events]
    pages += [public_url("learned.page", event_id=e.id) for e in events if learned.has_page(e)]
    for address in pages:
        ET.SubElement(ET.SubElement(urls, "url"), "loc").text = address
    body = ET.tostring(urls, encoding="unicode")
    return Response('<?xml version="1.0" encoding="utf-8"?>\n' + body, mimetype="application/xml")


@bp.get("/robots.txt")
def robots():
    """Crawlers may read the public pages, never private links or organisers' pages."""
    lines = ["User-agent: *"] + [f"Disallow: {path}" for path in PRIVATE_PATHS]
    lines += ["", f"Sitemap: {public_url('sharing.sitemap')}", ""]
    return Response("\n".join(lines), mimetype="text/plain")


@bp.get("/favicon.ico")
def favicon():
    """Browsers ask here first; the icon is a small SVG."""
    response = Response(FAVICON.read_bytes(), mimetype="image/svg+xml")
    response.cache_control.public = True
    response.cache_control.max_age = 86400
    return response


def _entry(feed, title: str, url: str, updated, summary: str) -> None:
    """One entry of the feed: a page, its title, when it last changed and what it says."""
    entry = ET.SubElement(feed, "entry")
    _text(entry, "title", title)
    _text(entry, "id", url)
    _text(entry, "updated", _stamp(updated))
    ET.SubElement(entry, "link", rel="alternate", href=url)
    _text(entry, "summary", summary)


def _text(parent, tag: str, value: str):
    element = ET.SubElement(parent, tag)
    element.text = value
    return element


def _stamp(moment) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")
