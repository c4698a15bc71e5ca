"""Memoising a function of the rules (or of one part of them) by the object's identity."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


def by_identity(fn: Callable[[K], V]) -> Callable[[K], V]:
    """Memoise a function of one immutable argument by the argument's identity.

    Rules are frozen tuples of frozen dataclasses: hashing them whole for ``lru_cache`` on every
    article costs more than the work it saves. The same rules object is passed for every
    article; the argument is kept with its result, so that a new object that reuses a freed
    one's id is not mistaken for it."""
    cache: dict[int, tuple[K, V]] = {}

    def wrapper(arg: K) -> V:
        hit = cache.get(id(arg))
        if hit is None or hit[0] is not arg:
            if len(cache) >= 16:
                cache.clear()
            hit = cache[id(arg)] = (arg, fn(arg))
        return hit[1]

    return wrapper
