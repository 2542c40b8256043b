"""Two workers racing: both read what is due before either takes the day's lock."""

import threading

from surgery import web
from surgery.extensions import db


def race(app, read_due, act) -> list:
    """Run two workers that each read `read_due()`, wait for the other, then `act(day)` for
    each day read, committed at the edge; every outcome, from both workers."""
    both_read = threading.Barrier(2, timeout=30)
    outcomes: list = []

    def worker():
        with app.app_context():
            due = read_due()
            both_read.wait()
            for day in due:
                outcomes.append(web.run(lambda day=day: act(day)))
            db.session.remove()

    workers = [threading.Thread(target=worker) for _ in range(2)]
    for each in workers:
        each.start()
    for each in workers:
        each.join(60)
    return outcomes
