"""gunicorn settings that make a rare interleaving show sooner.

Threads switch about five hundred times more often than by default, so whatever two threads
can break between them is tried many more times per second than under ordinary load. Only
tests use this file.
"""

import sys


def post_worker_init(worker):
    """After the app is loaded in each worker: switch threads often."""
    sys.setswitchinterval(1e-5)
