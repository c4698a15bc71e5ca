"""One compiled matcher over many literal phrases: a trie turned into a single regex.

A flat alternation of a thousand phrases makes the regex engine try each at every position; the
trie shares prefixes, so each position costs about one branch per character. Longer phrases win
(``Papua New Guinea`` over ``Guinea``, ``Nigeria`` over ``Niger``) because every optional
continuation is tried before the trie node's own end.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Hashable, Iterable, Iterator
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")
K = TypeVar("K", bound=Hashable)
V = TypeVar("V")

_END = ""  # trie key marking that a phrase ends here


@dataclass(frozen=True)
class Match(Generic[T]):
    start: int
    end: int
    text: str
    value: T


class Gazetteer(Generic[T]):
    """Find whole-word, case-sensitive occurrences of phrases, each mapped to a value."""

    def __init__(self, phrases: Iterable[tuple[str, T]]) -> None:
        self._values: dict[str, T] = {}
        for phrase, value in phrases:
            self._values.setdefault(phrase, value)
        body = trie_pattern(self._values)
        # a phrase may not start or end inside a word; "'s" and hyphens are word boundaries
        self._regex = re.compile(rf"(?<![\w]){body}(?![\w])")

    def __len__(self) -> int:
        return len(self._values)

    def finditer(self, text: str) -> Iterator[Match[T]]:
        for m in self._regex.finditer(text):
            phrase = m.group()
            yield Match(m.start(), m.end(), phrase, self._values[phrase])


def trie_pattern(phrases: Iterable[str]) -> str:
    """A regex (no groups) matching any of ``phrases``, the longest where several start alike."""
    trie: dict[str, dict] = {}  # type: ignore[type-arg]
    for phrase in phrases:
        node = trie
        for char in phrase:
            node = node.setdefault(char, {})
        node[_END] = {}
    return _to_regex(trie) if trie else "(?!)"


def _to_regex(node: dict) -> str:  # type: ignore[type-arg]
    branches = []
    ends_here = False
    for char in sorted(node):
        if char == _END:
            ends_here = True
        else:
            branches.append(re.escape(char) + _to_regex(node[char]))
    if not branches:
        return ""
    inner = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    if ends_here:
        # an optional continuation: greedy, so the longer phrase is taken when it is there
        return inner + "?" if len(branches) == 1 and len(branches[0]) == 1 else f"(?:{inner})?"
    return inner


def by_identity(fn: Callable[[K], V]) -> Callable[[K], V]:
    """Memoise a function of one immutable argument by the argument's identity.

    Rules are frozen tuples of frozen dataclasses: hashing them whole for ``lru_cache`` on every
    article costs more than the tagging. The same rules object is passed for every article."""
    cache: dict[int, tuple[K, V]] = {}

    def wrapper(arg: K) -> V:
        hit = cache.get(id(arg))
        if hit is None or hit[0] is not arg:
            if len(cache) >= 16:
                cache.clear()
            hit = cache[id(arg)] = (arg, fn(arg))
        return hit[1]

    return wrapper
