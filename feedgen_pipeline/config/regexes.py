r"""Compile a rule's regex, refusing the shapes that backtrack catastrophically.

Python's ``re`` has no time limit, so a rule like ``(a+)+$`` could hang a run on one article.
Such a rule is refused when the config is loaded, with the reason: an unbounded repeat (``*``,
``+``, ``{n,}``) of a group that holds a repeat of variable count and no character of its own
outside it (``(a+)+``, ``(\w+\s?)*``): the text can then be split between the two repeats in
exponentially many ways. A group that must match a fixed character each time (``(\.\w+)*``) is
accepted. Not detected: overlapping alternatives (``(a|a)*``) and a fixed character the inner
repeat also matches (``(x\w*)*``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from re import _constants as sre_constants  # type: ignore[attr-defined]
from re import _parser as sre_parse  # type: ignore[attr-defined]
from typing import Any

_REPEATS = (sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT, sre_constants.POSSESSIVE_REPEAT)


class UnsafeRegex(ValueError):
    """A regex that does not compile, or that could backtrack without end."""


def compile_rule(pattern: str) -> re.Pattern[str]:
    """``re.compile`` for rules: raises UnsafeRegex saying why a pattern is refused."""
    try:
        compiled = re.compile(pattern)
    except re.error as e:
        raise UnsafeRegex(f"regex does not compile: {e}") from e
    if _nested_unbounded(sre_parse.parse(pattern), inside=False):
        raise UnsafeRegex(
            "regex refused: an unbounded repeat inside another one (like (a+)+) can take "
            "exponential time on some text; rewrite it without the nesting"
        )
    return compiled


def _nested_unbounded(items: Any, *, inside: bool) -> bool:
    """Whether a repeat of variable count sits in a loose unbounded repeat (one whose body has no
    fixed character)."""
    for op, arg in items:
        if op in _REPEATS:
            low, high, sub = arg
            # a variable count inside a loose unbounded repeat: many ways to split the same text
            if low != high and inside and list(sub):
                return True
            loose = high == sre_constants.MAXREPEAT and not _has_fixed_char(sub)
            children = [sub]
        elif op == sre_constants.SUBPATTERN:
            children = [arg[-1]]
        elif op == sre_constants.BRANCH:
            children = list(arg[1])
        elif op in (sre_constants.ASSERT, sre_constants.ASSERT_NOT):
            children = [arg[1]]
        else:
            continue
        deeper = inside or (op in _REPEATS and loose)
        if any(_nested_unbounded(child, inside=deeper) for child in children):
            return True
    return False


def _has_fixed_char(items: Any) -> bool:
    """Whether a pattern must match some character outside any repeat (a literal or a class)."""
    for op, arg in items:
        if op in (sre_constants.LITERAL, sre_constants.IN, sre_constants.NOT_LITERAL):
            return True
        if op == sre_constants.SUBPATTERN and _has_fixed_char(arg[-1]):
            return True
        if op in _REPEATS and arg[0] == arg[1] >= 1 and _has_fixed_char(arg[2]):
            return True
    return False


_END = ""  # trie key marking that a phrase ends here


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
