"""Memory of a started gunicorn worker: at rest, after the public pages, after matching.

Serves the app with gunicorn on a fresh SQLite database of demo events (one worker, so one
process to read) and prints the worker's resident memory (VmRSS in /proc) just after it
starts, after it has served the front page, an event page and the booking form, and after an
organiser has opened a matching page (the only page that needs numpy and scipy). Also prints
whether numpy or scipy are loaded in a fresh process that created the app.

    .venv/bin/python bench/memory.py [--events 50]
"""

import argparse
import re
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # import the app from this checkout
sys.path.insert(0, str(ROOT / "bench"))

import web  # noqa: E402

ORGANISER_EMAIL, ORGANISER_PASSWORD = "bench@example.org", "bench-password-2027"
TARGET_MB = 70  # a worker at rest, just started: matching not yet run
CHECK = (
    "import sys; from surgery import create_app; create_app(); "
    "print(sorted({m.split('.')[0] for m in sys.modules} & {'numpy', 'scipy'}))"
)


def worker_pid(master: int) -> int:
    """The one worker process of a gunicorn master."""
    for _ in range(100):
        children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
        if children:
            return int(children[0])
        time.sleep(0.1)
    raise RuntimeError("gunicorn started no worker")


def rss_mb(pid: int) -> float:
    """Resident memory of a process, in MB."""
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"VmRSS:\s+(\d+) kB", status).group(1)) / 1024


def gunicorn_master(env: dict, log: Path) -> tuple[subprocess.Popen, str]:
    """One gthread worker serving the app; the master's process and the base URL."""
    port = web.free_port()
    command = [
        sys.executable, "-m", "gunicorn", "--workers", "1", "--worker-class", "gthread",
        "--threads", "4", "--bind", f"127.0.0.1:{port}", "--log-level", "warning",
        "surgery:create_app()",
    ]  # fmt: skip
    process = subprocess.Popen(command, cwd=ROOT, env=env, stderr=log.open("ab"))
    base = f"http://127.0.0.1:{port}"
    web.wait_until_up(base, process)
    return process, base


def sign_in(base: str) -> str:
    """The demo organiser's session cookie (sent by hand: it is marked Secure)."""
    with urllib.request.urlopen(f"{base}/login") as page:
        cookie = page.headers["Set-Cookie"].split(";", 1)[0]
        form = dict(web.HIDDEN.findall(page.read().decode()))
    form |= {"email": ORGANISER_EMAIL, "password": ORGANISER_PASSWORD}
    request = urllib.request.Request(
        f"{base}/login", data=urllib.parse.urlencode(form).encode(), headers={"Cookie": cookie}
    )
    try:
        urllib.request.build_opener(_NoRedirect()).open(request)
    except urllib.error.HTTPError as answer:
        with answer:
            cookies = answer.headers.get_all("Set-Cookie") or []
            return next(c.split(";", 1)[0] for c in cookies if c.startswith("session="))
    raise RuntimeError("sign-in did not redirect")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=50)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="surgery-bench-") as name:
        tmp = Path(name)
        url = web.make_database(tmp / "bench.sqlite3", args.events, tmp)
        env = {**web.app_env(url, tmp), "SURGERY_RATELIMIT_ENABLED": "0"}
        event_id, session_id = web.booking_target(url, tmp)
        web.flask_command(
            env, "organisers", "create", "--email", ORGANISER_EMAIL, "--name", "Bench",
            "--password", ORGANISER_PASSWORD,
        )  # fmt: skip
        imported = subprocess.run(
            [sys.executable, "-c", CHECK], cwd=ROOT, env=env, capture_output=True, text=True
        )
        process, base = gunicorn_master(env, tmp / "server.log")
        try:
            worker = worker_pid(process.pid)
            time.sleep(1)
            figures = [("worker at rest, just started", rss_mb(worker))]
            for path in ("/", f"/events/{event_id}", f"/events/{event_id}/book"):
                for _ in range(20):
                    urllib.request.urlopen(base + path).read()
            figures.append(("after the front page, an event page, the form", rss_mb(worker)))
            cookie = sign_in(base)
            matching = f"{base}/organise/sessions/{session_id}/matching"
            with urllib.request.urlopen(
                urllib.request.Request(matching, headers={"Cookie": cookie})
            ):
                pass
            figures.append(("after a matching page (numpy, scipy)", rss_mb(worker)))
        finally:
            process.terminate()
            process.wait(timeout=20)
    print("\ngunicorn gthread, 1 worker x 4 threads; resident memory (VmRSS) of the worker\n")
    for label, mb in figures:
        print(f"{label:48} {mb:6.1f} MB")
    print(
        f"\nnumpy or scipy loaded by creating the app: {imported.stdout.strip() or imported.stderr}"
    )
    at_rest = figures[0][1]
    verdict = "met" if at_rest <= TARGET_MB else "MISSED"
    print(
        f"Target worker at rest (matching not yet run) <= {TARGET_MB} MB: {at_rest:.1f} MB ({verdict})"
    )


if __name__ == "__main__":
    main()
