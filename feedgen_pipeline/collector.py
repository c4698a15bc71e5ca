"""The cyclic garbage collector held off while a run builds many objects that hold no cycles
to free, or that live until a step is done: it would walk them again and again.

Here, in the bottom layer, so that the no-change check and a run that reads no HTML page use it
without importing the model or BeautifulSoup.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """The cyclic collector held off, then left as it was.

    A page's tree is some ten thousand objects linked both ways (parent and children, next and
    previous), alive until the page is read: every collection while it is built and read walks
    it again, and finds nothing to free; once the page is read, the first collection walks it
    once and frees it whole. The state's records and the scan of the inputs are acyclic: a
    collection while they are built (100,000 at a time) walks them all and frees nothing."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()
