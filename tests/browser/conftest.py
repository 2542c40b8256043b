"""Browser tests: Debian's Chromium driven by Playwright, against a real gunicorn server.

Each test module gets a database and a server of its own, seeded once with a published
surgery day. Chromium and axe-core are required: when either is missing the tests fail
with a message saying what to install, they are never skipped.
"""

import datetime as dt
import json
import os
from dataclasses import dataclass
from pathlib import Path

import pytest
import sqlalchemy as sa

from surgery.auth.models import Organiser
from surgery.bookings import services as bookings
from surgery.bookings.services import AboutYou, BookingRequest
from surgery.database import utcnow
from surgery.domain.tokens import new_form_key
from surgery.events.models import OPEN_SPACE, PUBLISHED, SURGERY, WORKSHOP, Event, EventSession
from surgery.extensions import db
from surgery.vocabulary.models import RoleTag
from tests.conftest import ORGANISER_PASSWORD, fresh_database, make_app
from tests.live_server import ROOT, SECRET, migrate, serve

CHROMIUM = Path("/usr/bin/chromium")
AXE_SCRIPT = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 740}
LOCALE = {"locale": "en-GB", "timezone_id": "Europe/London"}
ORGANISER_EMAIL = "organiser@example.org"


@dataclass(frozen=True)
class Seed:
    """The ids and names of what the module's database was seeded with."""

    event_id: int
    event_title: str
    surgery_id: int
    workshop_id: int
    open_space_id: int
    full_id: int


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the whole run."""
    if not CHROMIUM.exists():
        pytest.fail(
            f"Chromium is missing at {CHROMIUM}: install Debian's chromium package "
            "(apt-get install chromium) to run the browser tests.",
            pytrace=False,
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture(scope="session")
def axe_script() -> Path:
    """axe-core's script, installed by npm from package.json."""
    if not AXE_SCRIPT.exists():
        pytest.fail(
            f"axe-core is missing at {AXE_SCRIPT}: run `npm install` in {ROOT} "
            "to run the accessibility tests.",
            pytrace=False,
        )
    return AXE_SCRIPT


@pytest.fixture
def page(browser):
    """A fresh desktop-sized page with its own cookies."""
    context = browser.new_context(viewport=DESKTOP, **LOCALE)
    context.set_default_timeout(10_000)
    try:
        yield context.new_page()
    finally:
        context.close()


@pytest.fixture
def phone_page(browser):
    """A fresh phone-sized page with its own cookies."""
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, **LOCALE)
    context.set_default_timeout(10_000)
    try:
        yield context.new_page()
    finally:
        context.close()


@pytest.fixture(scope="module")
def module_database(tmp_path_factory):
    """A database for one test module's server, dropped afterwards."""
    with fresh_database("browser", tmp_path_factory.mktemp("browser")) as url:
        yield url


@pytest.fixture(scope="module")
def live_app(module_database):
    """An app on the module's database, for seeding and for checking what was saved."""
    migrate(module_database)
    app = make_app(module_database)
    try:
        yield app
    finally:
        with app.app_context():
            db.engine.dispose()


@pytest.fixture(scope="module")
def seed(live_app) -> Seed:
    """An organiser and a published day with a surgery space, a workshop, open space and
    a full workshop (one place, taken, with two people waiting)."""
    with live_app.app_context():
        organiser = Organiser(email=ORGANISER_EMAIL, name="Olu Organiser")
        organiser.set_password(ORGANISER_PASSWORD)
        day = utcnow().replace(hour=9, minute=0, second=0, microsecond=0) + dt.timedelta(days=14)
        event = Event(
            title="Leeds Social Media Surgery",
            description="Bring your laptop or phone, and your questions.",
            venue_name="Central Library",
            venue_address="Calverley Street, Leeds",
            city="Leeds",
            access_info="Step-free entrance on Calverley Street. Hearing loop in the main room.",
            status=PUBLISHED,
        )
        specs = [
            (SURGERY, "Surgery space", 0, 10),
            (WORKSHOP, "Blogging for beginners", 1, 12),
            (OPEN_SPACE, "Open space", 2, None),
            (WORKSHOP, "Staying safe online", 3, 1),
        ]
        for kind, title, hours, capacity in specs:
            starts = day + dt.timedelta(hours=hours)
            event.sessions.append(
                EventSession(
                    kind=kind,
                    title=title,
                    starts_at=starts,
                    ends_at=starts + dt.timedelta(hours=1),
                    capacity=capacity,
                )
            )
        db.session.add_all([organiser, event])
        db.session.commit()
        tags = db.session.scalars(sa.select(RoleTag.id).order_by(RoleTag.position)).all()
        full = event.sessions[-1].id
        # the first takes the only place of the full workshop, the others wait
        for position, name in enumerate(["Priya", "Jo", "Kim"]):
            about = AboutYou(
                role_tag_ids=tags[position : position + 1],
                access_needs=["step_free"] if position == 0 else [],
                consent=True,
            )
            wish = BookingRequest(
                name, f"{name.lower()}@example.org", [full], about, new_form_key()
            )
            bookings.book(event.id, wish, SECRET)
            db.session.commit()
        ids = [s.id for s in event.sessions]
        return Seed(event.id, event.title, *ids)


@pytest.fixture(scope="module")
def base_url(module_database, seed) -> str:
    """The module's running server."""
    # a module signs its organiser in once per test: more than the limit on one address
    # allows in 15 minutes, which tests of their own check (tests/test_rate_limits.py)
    signing_in = {"SURGERY_RATELIMIT_SIGN_IN_ACCOUNT": "1000 per 15 minutes"}
    with serve(module_database, workers=1, threads=8, env=signing_in) as base:
        yield base


def describe_focus(page) -> dict:
    """What has the keyboard focus: tag, id, type, name, text and accessible label."""
    return page.evaluate(
        r"""() => {
            const el = document.activeElement;
            if (!el) return {tag: ""};
            const label = el.labels && el.labels.length ? el.labels[0].textContent : "";
            return {
                tag: el.tagName.toLowerCase(),
                id: el.id || "",
                type: el.getAttribute("type") || "",
                name: el.getAttribute("name") || "",
                text: (el.textContent || "").replace(/\s+/g, " ").trim(),
                label: label.replace(/\s+/g, " ").trim(),
                href: el.getAttribute("href") || "",
                checked: !!el.checked,
                outline: getComputedStyle(el).outlineStyle,
            };
        }"""
    )


def tab_to(page, matches, backwards: bool = False, limit: int = 80) -> dict:
    """Press Tab (or Shift+Tab) until the focused element matches; return its description.

    Every element passed on the way is checked to show where the focus is.
    """
    key = "Shift+Tab" if backwards else "Tab"
    seen = []
    for _ in range(limit):
        page.keyboard.press(key)
        focus = describe_focus(page)
        seen.append(focus)
        if focus["tag"] and focus["tag"] != "body":
            assert focus["outline"] != "none", f"no visible focus on {json.dumps(focus)}"
        if matches(focus):
            return focus
    trail = "\n".join(json.dumps(f) for f in seen[-15:])
    raise AssertionError(f"never reached the element with {key}; last stops:\n{trail}")


def run_axe(page, axe_script: Path) -> list[dict]:
    """Run axe-core's WCAG 2.0, 2.1 and 2.2 A and AA rules on the page; return violations.

    axe is evaluated through the browser's debugging protocol rather than added as a
    <script> element, which the site's Content-Security-Policy rightly refuses.
    """
    page.evaluate(axe_script.read_text())
    result = page.evaluate(
        """async () => await axe.run(document, {
            runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]},
            resultTypes: ["violations"],
        })"""
    )
    return result["violations"]


def assert_accessible(page, axe_script: Path, where: str) -> None:
    """No axe violations on the page as it is now, once its styles have loaded (a page
    checked before its style sheet arrives has the browser's own small targets)."""
    page.wait_for_load_state("load")
    violations = run_axe(page, axe_script)
    assert not violations, describe_violations(violations, f"{where} ({page.url})")


def assert_fits_the_screen(page) -> None:
    """Nothing makes the page scroll sideways."""
    widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], f"the page is {widths[0]}px wide on a {widths[1]}px screen"


def sign_in(page, base_url: str) -> None:
    """Sign in as the organiser through the form."""
    page.goto(f"{base_url}/login")
    page.get_by_label("Email").fill(ORGANISER_EMAIL)
    page.get_by_label("Password").fill(ORGANISER_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{base_url}/organise/")


def describe_violations(violations: list[dict], where: str) -> str:
    """axe's violations as readable text: rule, what it means, and the elements."""
    lines = [f"{len(violations)} accessibility violation(s) on {where}:"]
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
        lines.append(f"  {violation['helpUrl']}")
        for node in violation["nodes"]:
            target = " ".join(str(part) for part in node["target"])
            lines.append(f"    at {target}")
            summary = node.get("failureSummary", "").replace("\n", "\n       ")
            if summary:
                lines.append(f"       {summary}")
    return "\n".join(lines)


def screenshot(page, name: str) -> None:
    """Save a full-page screenshot when BROWSER_SCREENSHOTS names a folder, to look at."""
    folder = os.environ.get("BROWSER_SCREENSHOTS")
    if folder:
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)
