"""Start the app in a real gunicorn process, for concurrency and browser tests."""

import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SECRET = "live-test-secret"


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_env(database_url: str, **extra: str) -> dict[str, str]:
    """Environment for a server process on the given database; its mail stays out of the tree."""
    mail = Path(tempfile.gettempdir()) / f"surgery-live-mail-{os.getpid()}"
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "SURGERY_SECRET_KEY": SECRET,
        "SURGERY_MAIL_OUTBOX_FOLDER": str(mail),
        **extra,
    }


def migrate(database_url: str) -> None:
    """Bring the database's schema up to date, as `make run` does."""
    subprocess.run(
        [sys.executable, "-m", "flask", "--app", "surgery", "db", "upgrade"],
        cwd=ROOT,
        env=server_env(database_url),
        check=True,
        capture_output=True,
    )


@contextlib.contextmanager
def serve(
    database_url: str,
    workers: int = 2,
    threads: int = 16,
    log: Path | None = None,
    config: Path | None = None,
    env: dict[str, str] | None = None,
):
    """Serve the app with gunicorn (threaded workers); yield its base URL.

    With log, the server's error output goes to that file instead of the terminal (at level
    info, so worker starts and deaths are in it); config is a gunicorn settings file; env
    adds settings (SURGERY_…) to the server's environment.
    """
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    command = [
        sys.executable, "-m", "gunicorn", "--workers", str(workers), "--worker-class", "gthread",
        "--threads", str(threads), "--bind", f"127.0.0.1:{port}",
        # an open screen's event stream would hold a graceful stop for its full length
        "--graceful-timeout", "3",
        "--log-level", "info" if log else "warning",
        *(["--config", str(config)] if config else []),
        "surgery:create_app()",
    ]  # fmt: skip
    errors = open(log, "ab") if log else None  # noqa: SIM115 - closed below
    # links sent out, and the private link shown after booking, lead back to this server
    extra = {"SURGERY_PUBLIC_BASE_URL": base, **(env or {})}
    process = subprocess.Popen(
        command, cwd=ROOT, env=server_env(database_url, **extra), stderr=errors
    )
    try:
        wait_until_up(base, process)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:  # a screen's event stream still open: stop it
            process.kill()
            process.wait(timeout=20)
        if errors:
            errors.close()


def wait_until_up(base: str, process: subprocess.Popen, seconds: float = 30) -> None:
    """Poll the front page until the server answers."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}")
        with contextlib.suppress(OSError), urllib.request.urlopen(base + "/", timeout=2) as page:
            if page.status == 200:
                return
        time.sleep(0.2)
    raise RuntimeError("server did not start in time")
