"""The image-credit grammar of the rules (``rules.credit`` in ``data/rules.yaml``), checked.

A credit is text in one of the *places* a page puts credits (a credit element, the end of a
caption in brackets, after a dash or a pipe, a line of its own...), maybe after *labels* ("Photo:",
"©", "Picture by") and before *trailers* ("file photo"), that carries a label or has one of the
*shapes* of a credit ("AP Photo/Jane Doe", "... via Getty Images", "Supplied", an agency's
name), unless it is *not a credit* (a byline, a dateline, a position word such as "(left)").
``extract/credits.py`` reads text with it. Every part is an id-list that a config merges over
the built-ins entry by entry (``rules.py``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from .regexes import UnsafeRegex, compile_rule
from .tagging import checked_rule, rule_entries

if TYPE_CHECKING:  # the checker lives in config.py, which imports this module
    from .yamlcheck import Checker

TextKind = Literal["element", "overlay", "caption", "alt", "line", "after-body"]
TEXT_KINDS: tuple[TextKind, ...] = ("element", "overlay", "caption", "alt", "line", "after-body")
"""What a text is: a credit element's, words laid over the picture, a caption, an image's alt or
title text, a line of a text article, a paragraph at the end of the story."""
Needs = Literal["name", "shape", "label"]
NEEDS: tuple[Needs, ...] = ("name", "shape", "label")
"""What a place asks of the text it finds, weakest first: names (no sentence), a credit's shape
(or a label), a label."""
_SCOPES = ("credit", "text")
LABEL_PLACEHOLDER = "{label}"


@dataclass(frozen=True)
class Words:
    """A grammar entry: a regex, or literal words and phrases made into one."""

    id: str
    regex: re.Pattern[str]


@dataclass(frozen=True)
class Place:
    """Where a credit sits: a regex whose group ``credit`` holds it, in some kinds of text."""

    id: str
    regex: re.Pattern[str]
    kinds: tuple[TextKind, ...]
    needs: Needs


@dataclass(frozen=True)
class NotCredit:
    """Text that is no credit: matched on the credit found, or on the whole text read."""

    id: str
    regex: re.Pattern[str]
    scope: Literal["credit", "text"]


@dataclass(frozen=True)
class CreditGrammar:
    labels: tuple[Words, ...]
    """Before a credit, removed from it; matched without regard to case."""
    trailers: tuple[Words, ...]
    """After a credit, removed from it ("Reuters file photo" is Reuters')."""
    notes: tuple[Words, ...]
    """At the end of a text, neither caption nor credit ("NO RESALES"): removed first."""
    places: tuple[Place, ...]
    """Tried in order; the first that finds a credit wins."""
    shapes: tuple[Words, ...]
    """A credit without a label must match one of these (searched; words in any case)."""
    not_credit: tuple[NotCredit, ...]
    name_words: tuple[str, ...]
    """Lower-case words a credit may hold ("Jane Doe for The Times via Getty Images"), sorted."""
    max_chars: int = 150
    label: re.Pattern[str] = field(default=re.compile(r"(?!)"), compare=False, repr=False)
    """The labels as one regex anchored at the start, with the separator after them."""
    trailer: re.Pattern[str] = field(default=re.compile(r"(?!)"), compare=False, repr=False)
    note: re.Pattern[str] = field(default=re.compile(r"(?!)"), compare=False, repr=False)


def _words_regex(words: tuple[str, ...]) -> str:
    """Literal words and phrases, longest first, each whole (not inside a longer word)."""
    ordered = sorted(set(words), key=lambda w: (-len(w), w))
    return r"(?<!\w)(?:" + "|".join(re.escape(w) for w in ordered) + r")(?!\w)"


def _compile(check: Checker, where: str, key: str, pattern: str) -> re.Pattern[str] | None:
    try:
        return compile_rule(pattern) if checked_rule(check, where) else re.compile(pattern)
    except (UnsafeRegex, re.error) as e:
        check.problem(f"{where}.{key}", str(e))
        return None


def _words_entries(
    check: Checker, data: dict[str, Any], key: str, *, ignore_case: bool, whole: bool = False
) -> list[tuple[str, str, dict[str, Any], str]]:
    """(id, key path, entry, regex source) of each entry with `words` or a `regex`."""
    out = []
    path = "rules.credit"
    extra = ("scope",) if key == "not_credit" else ()
    for rule_id, where, entry in rule_entries(check, data, path, key, ("words", "regex", *extra)):
        words = check.string_list(entry, where, "words", ())
        regex = check.get(entry, where, "regex", str, None)
        if bool(words) == (regex is not None):
            check.problem(where, "needs `words` or `regex`, not both")
            continue
        source = _words_regex(words) if words else str(regex)
        if whole and words:
            source = rf"^{source}$"
        if ignore_case or words:  # words match in any case; a regex says so itself
            source = f"(?i:{source})"
        out.append((rule_id, where, entry, source))
    return out


def parse_credit(check: Checker, data: dict[str, Any]) -> CreditGrammar:
    """The credit grammar from the merged ``rules.credit`` (selectors are read by rules.py)."""
    labels: list[Words] = []
    trailers: list[Words] = []
    notes: list[Words] = []
    shapes: list[Words] = []
    for key, target, ignore_case in (
        ("labels", labels, True),
        ("trailers", trailers, True),
        ("notes", notes, False),
        ("shapes", shapes, False),
    ):
        for rule_id, where, _, source in _words_entries(check, data, key, ignore_case=ignore_case):
            compiled = _compile(check, where, "regex", source)
            if compiled is not None:
                target.append(Words(rule_id, compiled))
    not_credit = []
    for rule_id, where, entry, source in _words_entries(
        check, data, "not_credit", ignore_case=False, whole=True
    ):
        scope = check.get(entry, where, "scope", str, "credit")
        if scope not in _SCOPES:
            check.problem(f"{where}.scope", f"expected credit or text, got {scope!r}")
            continue
        compiled = _compile(check, where, "regex", source)
        if compiled is not None:
            not_credit.append(NotCredit(rule_id, compiled, scope))
    label_source = "|".join(f"(?:{w.regex.pattern})" for w in labels) or "(?!)"
    places = []
    for rule_id, where, entry in rule_entries(
        check, data, "rules.credit", "places", ("regex", "in", "needs")
    ):
        raw = check.get(entry, where, "regex", str, None, required=True)
        kinds = check.string_list(entry, where, "in", ())
        needs = check.get(entry, where, "needs", str, "label")
        bad = [k for k in kinds if k not in TEXT_KINDS]
        if bad or not kinds:
            check.problem(f"{where}.in", f"expected some of {', '.join(TEXT_KINDS)}, got {kinds}")
        if needs not in NEEDS:
            check.problem(f"{where}.needs", f"expected one of {', '.join(NEEDS)}, got {needs!r}")
        if raw is None or bad or not kinds or needs not in NEEDS:
            continue
        compiled = _compile(check, where, "regex", raw.replace(LABEL_PLACEHOLDER, label_source))
        if compiled is None:
            continue
        if "credit" not in compiled.groupindex:
            check.problem(f"{where}.regex", "regex needs a group named `credit`: (?P<credit>...)")
            continue
        places.append(Place(rule_id, compiled, tuple(kinds), needs))  # type: ignore[arg-type]
    name_words = check.string_list(data, "rules.credit", "name_words", ())
    max_chars = check.get(data, "rules.credit", "max_chars", int, 150)
    # a label's separator; a full stop after it ends a sentence ("MANDATORY CREDIT. NO ...")
    separator = r"\s*(?:[:：|]|/(?=\s)|\.\.\.|…|[-–—](?=\s))?\s*(?![.,;!?])"
    trailer_source = "|".join(f"(?:{w.regex.pattern})" for w in trailers) or "(?!)"
    note_source = "|".join(f"(?:{w.regex.pattern})" for w in notes) or "(?!)"
    return CreditGrammar(
        labels=tuple(labels),
        trailers=tuple(trailers),
        notes=tuple(notes),
        places=tuple(places),
        shapes=tuple(shapes),
        not_credit=tuple(not_credit),
        name_words=tuple(sorted(set(name_words))),
        max_chars=max_chars,
        label=re.compile(rf"^(?:{label_source}){separator}"),
        trailer=re.compile(rf"(?:{trailer_source})\W*$"),
        note=re.compile(rf"[\s,;]*(?:{note_source})[\s.,;]*$"),
    )
