"""Python's cyclic garbage collector paused while a large input is turned into objects.

Loading a city's file builds a few hundred thousand frozen objects and
discards none of them; the collector, triggered by the count of new objects,
walks all that are alive again and again, finds nothing to free, and costs
a fifth of the load.  :func:`collection_paused` pauses it for the duration
and restores it as it was (a caller that had turned it off keeps it off).
Reference counting still frees what is dropped, so memory does not grow
except by cycles, which the loaders do not make.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["collection_paused"]


@contextmanager
def collection_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector inside the ``with`` block; restore its state after.

    >>> import gc
    >>> with collection_paused():
    ...     gc.isenabled()
    False
    >>> gc.isenabled()
    True
    """
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()
