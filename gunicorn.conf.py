"""gunicorn settings, read when gunicorn is started in this folder (or given with --config).

Both settings are for a burst of bookings of one day, which pass one at a time through the
day's lock (SQLite's write lock, or the day's row on PostgreSQL).

reuse_port: each worker listens on a socket of its own and the kernel spreads new
connections over them. With one shared socket, the worker that woke first accepted every
connection waiting (300 of 300 in bench/burst.py), and the other workers stood idle.

post_worker_init: a threaded worker's threads share one interpreter lock. A booking holding
the day's lock makes several database round trips, and after each must win the interpreter
back from the worker's other threads, which by default keep it up to 5 ms: a few times a
booking, longer than the work under the lock, while every other booking of the day waited.
Switching every 0.5 ms hands it back sooner, for a little more switching between threads.

It also freezes what loading the app made and kept (modules, the ORM's mappings, about all of a
worker at rest): those objects live as long as the worker, and frozen, a collection of the
oldest generation (run after requests, surgery/collector.py) no longer walks them. In
process such a collection took about 70 ms and came every few hundred bookings: 0.22 ms a
booking on average, 0.05 ms with them frozen.
"""

import gc
import sys

SWITCH_SECONDS = 0.0005

reuse_port = True


def post_worker_init(worker):
    """After the app is loaded in each worker: hand the interpreter over sooner, and keep
    what loading made out of the collector's way."""
    sys.setswitchinterval(SWITCH_SECONDS)
    gc.collect()  # loading's own garbage first: frozen, it would never be freed
    gc.freeze()
