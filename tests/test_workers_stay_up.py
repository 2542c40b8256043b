"""Threaded gunicorn workers stay up under load on the live floor, the page that crashed most.

On CPython 3.11 a garbage collection started inside an allocation could free the attribute
values of a SQLAlchemy InstanceState while its dict still used them, and threaded workers
died with SIGSEGV under load (surgery/collector.py says how). This runs the production worker
class with several threads for well under a minute, with settings that make collections and
thread switches frequent (tests/gunicorn_stress.py), and fails if any worker dies.
"""

import re
import threading
import time
import urllib.parse
import urllib.request
from collections import Counter
from http.cookiejar import CookieJar
from pathlib import Path

import pytest

from surgery.auth import services as organisers
from tests.busy_day import seed_busy_day
from tests.conftest import make_app
from tests.live_server import SECRET, migrate, serve

pytestmark = pytest.mark.server

ORGANISER = ("floor-lead@example.org", "floor lead password")
PEOPLE, SURGEONS = 500, 50
WORKERS, THREADS, CLIENTS = 2, 8, 16
SECONDS, MAX_REQUESTS = 40, 1500  # whichever comes first
STRESS = Path(__file__).with_name("gunicorn_stress.py")
CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
BOOTED = re.compile(r"Booting worker with pid: (\d+)")
DIED = re.compile(r"was sent SIG\w+|terminated due to signal|exited with code|WORKER TIMEOUT")


def seed(url: str) -> int:
    """An organiser and a busy day under way; the surgery session's id."""
    with make_app(url).app_context():  # its connections are closed when the test ends
        organisers.create(ORGANISER[0], "Floor Lead", ORGANISER[1])
        return seed_busy_day(SECRET, ORGANISER[0], PEOPLE, SURGEONS).session_id


def signed_in(base: str) -> urllib.request.OpenerDirector:
    """An opener holding an organiser's session cookie."""
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
    with opener.open(base + "/login", timeout=30) as page:
        token = CSRF.search(page.read().decode()).group(1)
    form = {"csrf_token": token, "email": ORGANISER[0], "password": ORGANISER[1]}
    with opener.open(base + "/login", urllib.parse.urlencode(form).encode(), timeout=30) as page:
        assert "/login" not in page.url, "sign-in failed"
    return opener


def hammer(opener, url: str) -> Counter:
    """GET the page from several threads until the time or the request budget runs out."""
    answers: Counter = Counter()
    lock = threading.Lock()
    deadline = time.monotonic() + SECONDS

    def client() -> None:
        while time.monotonic() < deadline:
            with lock:
                if sum(answers.values()) >= MAX_REQUESTS:
                    return
            try:
                with opener.open(url, timeout=60) as page:
                    page.read()
                    outcome = page.status
            except OSError as error:  # a worker that died drops its connections
                outcome = type(error).__name__
            with lock:
                answers[outcome] += 1

    threads = [threading.Thread(target=client) for _ in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return answers


def test_threaded_workers_survive_load_on_the_floor(live_database, tmp_path):
    migrate(live_database)
    session_id = seed(live_database)
    log = tmp_path / "gunicorn.log"
    with serve(live_database, WORKERS, THREADS, log=log, config=STRESS) as base:
        answers = hammer(signed_in(base), f"{base}/organise/sessions/{session_id}/floor")
    text = log.read_text(errors="replace")
    deaths = DIED.findall(text)
    booted = BOOTED.findall(text)
    assert not deaths and len(booted) == WORKERS, (
        f"{len(deaths)} worker deaths, {len(booted)} workers started; answers {dict(answers)}\n"
        + "\n".join(line for line in text.splitlines() if "Fatal" in line or "SIG" in line)
    )
    assert set(answers) == {200} and answers[200] >= 100, dict(answers)
