"""The cyclic garbage collector's pace for the long-running processes (``advisor-app``,
``advisor-hq serve``).

Python's default (a young collection every 700 new container objects) runs hundreds of
collections while a sync reads or writes a batch of 2,000 rows, each one walking the
batch's dicts and lists again; with the default, a quarter of HQ's time on a push and
of the laptop's went to the collector (``bench/bench_sync.py``). Almost every object
here is freed by reference counting anyway: cycles are rare, so collecting less often
costs little memory.

``tune_gc`` also freezes what exists when it is called (imported modules, the app): the
full collections no longer walk objects that live until the process exits."""

from __future__ import annotations

import gc

YOUNG = 100_000  # new container objects between two young collections (default 700)
MIDDLE = 50  # young collections between two middle ones (default 10)
OLD = 100  # middle collections between two full ones (default 10)


def tune_gc() -> None:
    gc.set_threshold(YOUNG, MIDDLE, OLD)
    gc.freeze()
