"""Garbage collection runs only where it is safe (surgery/collector.py, issue 14)."""

import gc
import signal
import subprocess
import sys
import weakref
from pathlib import Path

import pytest

from surgery import collector

SCENE = Path(__file__).with_name("collection_scene.py")
ROOT = SCENE.parent.parent
only_311 = pytest.mark.skipif(not collector.NEEDED, reason="3.12 collects between bytecodes")


def run_scene(*args: str) -> subprocess.CompletedProcess:
    """Run the crash scene in a fresh interpreter."""
    return subprocess.run(
        [sys.executable, str(SCENE), *args], cwd=ROOT, capture_output=True, text=True, timeout=120
    )


@only_311
def test_the_interpreter_alone_crashes_in_the_scene():
    """The cause, shown without any library: the interpreter's own policy corrupts memory."""
    done = run_scene()
    assert done.returncode == -signal.SIGSEGV, (done.returncode, done.stdout, done.stderr)


@only_311
def test_the_app_keeps_collections_out_of_allocations():
    done = run_scene("--app")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("survived")


@only_311
def test_creating_the_app_turns_automatic_collection_off(app):
    assert not gc.isenabled()


class Cycle:
    """Two of these pointing at each other are freed only by the collector."""


def garbage_cycle() -> weakref.ref:
    """A reference cycle nobody holds; a weak reference to watch it go."""
    a, b = Cycle(), Cycle()
    a.other, b.other = b, a
    return weakref.ref(a)


@only_311
def test_cyclic_garbage_is_collected_when_a_request_ends(app):
    client = app.test_client()  # no app context around it: each request has its own, as served
    thresholds = gc.get_threshold()
    gc.set_threshold(10, 10, 10)
    try:
        gc.collect()
        watched = garbage_cycle()
        for _ in range(20):
            garbage_cycle()  # more tracked objects than the first threshold
        assert watched() is not None  # nothing collects inside allocations
        assert client.get("/").status_code == 200
        assert watched() is None  # the end of the request did
    finally:
        gc.set_threshold(*thresholds)


@only_311
def test_nothing_is_collected_below_the_threshold(app):
    thresholds = gc.get_threshold()
    try:
        gc.collect()
        gc.set_threshold(10_000)
        watched = garbage_cycle()
        assert collector.collect_due() is None
        assert watched() is not None
        gc.set_threshold(1)
        assert collector.collect_due() == 0
        assert watched() is None
    finally:
        gc.set_threshold(*thresholds)
