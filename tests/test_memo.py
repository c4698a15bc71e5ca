"""Memoising by identity: one call per object, and a new object (even an equal one) called anew."""

from __future__ import annotations

from feedgen_pipeline.config import default_rules
from feedgen_pipeline.extract.queries import queries_for
from feedgen_pipeline.memo import by_identity


def test_the_same_object_is_computed_once_and_an_equal_one_again() -> None:
    calls: list[tuple[str, ...]] = []

    @by_identity
    def joined(words: tuple[str, ...]) -> str:
        calls.append(words)
        return " ".join(words)

    first = tuple(["a", "b"])
    equal = tuple(["a", "b"])
    assert first == equal and first is not equal
    assert joined(first) == joined(first) == "a b"
    assert len(calls) == 1
    assert joined(equal) == "a b"
    assert len(calls) == 2


def test_the_cache_stays_small() -> None:
    calls: list[int] = []

    @by_identity
    def size(words: tuple[str, ...]) -> int:
        calls.append(len(words))
        return len(words)

    kept = [tuple(str(i) for i in range(n)) for n in range(40)]
    for words in kept:
        size(words)
    size(kept[0])  # pushed out by the 39 after it
    assert len(calls) == 41


def test_the_extraction_queries_are_kept_per_rules_object() -> None:
    rules, other = default_rules(), default_rules()
    assert rules is not other
    assert queries_for(rules) is queries_for(rules)
    assert queries_for(other) is not queries_for(rules)
