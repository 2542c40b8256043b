"""The crash of issue 14 in twenty lines of plain Python: run as a script, it dies on 3.11.

Setting a new attribute name on an object whose attributes are still stored inline makes
CPython 3.11 build the object's dict. If the allocation of that dict starts a garbage
collection, and the collection frees something whose weakref callback sets a new attribute
on the same object, a second dict is built over the same values and frees them as it grows;
the first dict is left pointing at freed memory. SQLAlchemy's InstanceState._cleanup is such
a callback. With ``--app``, the app is created first, as every server process does, and its
collector (surgery/collector.py) keeps collections out of allocations: the script survives.
"""

import gc
import sys
import weakref


class State:
    __slots__ = ("__dict__", "__weakref__", "obj")

    def __init__(self, target):
        self.a0 = self.a1 = None  # names the shared keys hold: the values stay inline
        self.obj = weakref.ref(target, self.cleanup)

    def cleanup(self, _ref):
        for i in range(8):  # new names on the same object, from inside the collection
            setattr(self, f"inner{i}", None)


def fill_shared_keys() -> State:
    """The class's first instance decides its shared keys; fill them to the limit."""
    first = State.__new__(State)
    for i in range(40):
        setattr(first, f"a{i}", None)
    return first


class Node:
    pass


def one_round():
    """Make a garbage cycle watched by a State, then give the State a new attribute name."""
    thresholds = gc.get_threshold()
    gc.set_threshold(0)  # no collection while the scene is set
    a, b = Node(), Node()
    a.other, b.other = b, a  # only the collector frees a cycle
    state = State(a)
    del a, b
    hog = [{} for _ in range(100)]  # empty the dict free list: the next dict is a GC allocation
    gc.set_threshold(1)  # so that allocation starts a collection
    state.outer = None  # builds the dict; the collection runs state.cleanup inside it
    gc.set_threshold(*thresholds)
    for i in range(40):
        setattr(state, f"more{i}", i)  # the dict grows, copying from the freed values
    return hog


def main(argv: list[str]) -> None:
    if "--app" in argv:
        from surgery import create_app

        create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "scene"})
    keep = fill_shared_keys()
    for _ in range(200):
        one_round()
    print(f"survived ({type(keep).__name__})")


if __name__ == "__main__":
    main(sys.argv[1:])
