"""Cyclic garbage collection only where it is safe, as Python 3.12 and later do it.

On CPython 3.11 the collector can start inside any allocation of a tracked object, wherever
the interpreter happens to be. One such place is the building of an object's attribute dict
(a new attribute name on an object whose attributes are still stored inline): if that
collection frees something whose weakref callback sets a new attribute on the same object,
CPython builds a second dict over the same inline values, frees them, and leaves the first
dict pointing at freed memory. The process dies later with SIGSEGV, anywhere.

SQLAlchemy's InstanceState has exactly such a callback (``_cleanup``, run when a loaded object
is collected), and a request's loaded rows are cyclic garbage by the time its session closes,
so threaded gunicorn workers crashed under load (see ``tests/test_workers_stay_up.py`` and
``bench/soak.py``). Python 3.12 runs the collector only between bytecodes (CPython gh-97922).
On 3.11 this module switches the automatic collector off and runs the same generational
policy at the end of every app context (each request, each command, each background round),
from Python code, where nothing is half-built.
"""

import gc
import sys

from flask import Flask

NEEDED = sys.version_info < (3, 12)


def install(app: Flask) -> None:
    """Collect after each app context instead of inside allocations (3.11 only).

    Call before other extensions register their teardowns: Flask runs teardowns in reverse,
    so this one runs last, after the database session has let go of its rows.
    """
    if not NEEDED:
        return
    gc.disable()
    app.teardown_appcontext(lambda _error: collect_due())


def collect_due() -> int | None:
    """Run the collection the interpreter's own policy would have run by now.

    The same thresholds (``gc.get_threshold()``): once more than the first threshold of
    tracked objects have been allocated, collect the oldest generation whose count is over
    its threshold. Returns the generation collected, or None.
    """
    if not NEEDED or gc.isenabled():
        return None
    counts, thresholds = gc.get_count(), gc.get_threshold()
    if thresholds[0] == 0 or counts[0] <= thresholds[0]:
        return None
    generation = next(g for g in (2, 1, 0) if g == 0 or counts[g] > thresholds[g])
    gc.collect(generation)
    return generation
