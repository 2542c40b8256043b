"""How long the sign-in and forgotten-password forms take to refuse, by kind of address.

A known email with a wrong password costs one scrypt check; an unknown email must cost
the same, or the time taken tells who has an account. Runs in-process through the test
client on a fresh SQLite database and prints the median of each kind, and for comparison
the unknown email without the stand-in check (as sign-in was before it).

    .venv/bin/python bench/sign_in.py [--rounds 40]
"""

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # import the app from this checkout

from flask_migrate import upgrade  # noqa: E402

from surgery import create_app  # noqa: E402
from surgery.auth import services  # noqa: E402
from surgery.extensions import db  # noqa: E402

EMAIL, PASSWORD = "organiser@example.org", "the right password"


def make_app(tmp: Path):
    """The app on a fresh SQLite database with one organiser; no CSRF, no rate limits (the
    rounds would be paused as someone guessing), mail kept queued."""
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp / 'bench.sqlite3'}",
            "SECRET_KEY": "bench-secret",
            "WTF_CSRF_ENABLED": False,
            "RATELIMIT_ENABLED": False,
            "PAGE_CACHE_SECONDS": 0,
            "MAIL_SEND_AFTER_REQUEST": False,
            "MAIL_OUTBOX_FOLDER": str(tmp / "mail"),
        }
    )
    with app.app_context():
        upgrade(directory=str(ROOT / "migrations"))
        services.create(EMAIL, "Organiser", PASSWORD)
        db.session.commit()
    return app


def medians_ms(client, url: str, kinds: dict[str, dict], rounds: int, expect: int) -> dict:
    """Median time per kind of POST, in milliseconds: the kinds take turns, so a machine
    busy with other work slows each alike. Timed until the answer is back; what the app
    does after answering (response.close()) is not waited for, as a browser does not."""
    times: dict[str, list[float]] = {kind: [] for kind in kinds}
    for i in range(rounds + 2):
        for kind, data in kinds.items():
            started = time.perf_counter()
            response = client.post(url, data=data)
            elapsed = time.perf_counter() - started
            response.close()
            assert response.status_code == expect, response.status_code
            if i >= 2:  # two warm-up rounds
                times[kind].append(elapsed * 1000)
    return {kind: statistics.median(values) for kind, values in times.items()}


def main() -> None:
    """Time each kind of refusal and print the medians."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=40)
    args = parser.parse_args()
    unknown = {"email": "nobody@example.org", "password": "not the password"}
    wrong = {"email": EMAIL, "password": "not the password"}
    with tempfile.TemporaryDirectory() as folder:
        app = make_app(Path(folder))
        client = app.test_client()
        sign_in = medians_ms(
            client, "/login", {"wrong password": wrong, "unknown email": unknown}, args.rounds, 400
        )
        real = services.password_matches
        services.password_matches = lambda *_: False  # sign-in as it was before the stand-in
        try:
            before = medians_ms(client, "/login", {"unknown": unknown}, args.rounds, 400)
        finally:
            services.password_matches = real
        forgot = medians_ms(
            client,
            "/login/forgot",
            {"known": {"email": EMAIL}, "unknown": {"email": unknown["email"]}},
            args.rounds,
            303,
        )
    rows = [
        ("sign in: known email, wrong password", sign_in["wrong password"]),
        ("sign in: unknown email", sign_in["unknown email"]),
        ("sign in: unknown email, no stand-in check (before)", before["unknown"]),
        ("forgotten password: known email", forgot["known"]),
        ("forgotten password: unknown email", forgot["unknown"]),
    ]
    width = max(len(label) for label, _ in rows)
    print(f"median of {args.rounds} requests each")
    for label, ms in rows:
        print(f"{label:<{width}}  {ms:8.2f} ms")
    ratio, was = rows[1][1] / rows[0][1], rows[2][1] / rows[0][1]
    print(f"sign in, unknown email / wrong password: {ratio:.2f} (without the stand-in: {was:.2f})")


if __name__ == "__main__":
    main()
