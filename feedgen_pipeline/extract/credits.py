"""Image credits read with the rules' credit grammar (``config/credits.py``, ``rules.credit``).

A text (a caption, a credit element, an alt text, a line) is tried against each place of the
grammar that applies to its kind; a place's candidate is trimmed of labels and trailers, and
kept when it reads as names rather than a sentence, is not one of the things that are no credit,
and has what the place needs: nothing more, a credit's shape (or a label), or a label.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ..config.credits import CreditGrammar, Needs, TextKind
from .common import clean_lines, clean_text

# a credit's words: what separators (white space, slashes, pipes, commas, brackets) leave
_TOKEN = re.compile(r"[^\s/|,;()\[\]]+")
# what parts a credit: "Jane Doe / Agency", "Jane Doe | Agency", "jdoe - stock.example.com"
_SEGMENT = re.compile(r"\s*[/|;,]\s*|\s+[-–—]\s+")
_EDGES = " \u00a0-–—|,;:/"
_ABBREVIATION_END = re.compile(r"(?:\b[A-Za-z]\.){2,}$|\b(?:Inc|Ltd|Co|Corp|Jr|Sr)\.$")
# a place whose candidate is refused is tried again further on, this many times at most
_RETRIES = 8
# credits have few words; more is a sentence
_MAX_WORDS = 16
# a lower-case part of a credit: a user name, or a name written so
_HANDLE_WORDS = 2


@dataclass(frozen=True)
class Reading:
    """A credit found in a text, with the rest of the text and the place that found it."""

    credit: str
    rest: str
    """The text without the credit and its separators (a caption's own words)."""
    place: str


def read_credit(text: str, kind: TextKind, grammar: CreditGrammar) -> Reading | None:
    """The credit in ``text`` (of kind ``kind``), by the first place that finds one. Line
    breaks are kept: places may use them (a credit line above or below a caption's text)."""
    text = clean_lines(_without_notes(text, grammar))
    if not text or any(n.scope == "text" and n.regex.search(text) for n in grammar.not_credit):
        return None
    for place in grammar.places:
        if kind not in place.kinds:
            continue
        pos = 0
        for _ in range(_RETRIES):
            match = place.regex.search(text, pos)
            if match is None:
                break
            credit = accept(match.group("credit"), place.needs, grammar)
            rest = _trim(f"{text[: match.start()]} {text[match.end() :]}")
            # an alt or title text describes the picture: a credit there comes after that
            if credit and (rest or kind != "alt"):
                return Reading(credit, rest, place.id)
            pos = match.start() + 1
    return None


def _without_notes(text: str, grammar: CreditGrammar) -> str:
    while True:
        shorter = grammar.note.sub("", text, count=1)
        if shorter == text:
            return text
        text = shorter


def credit_line(
    paragraphs: Sequence[str], kind: TextKind, grammar: CreditGrammar
) -> tuple[int, Reading] | None:
    """(index, reading) of the first paragraph that is a credit line of kind ``kind``."""
    for index, paragraph in enumerate(paragraphs):
        if len(paragraph) <= grammar.max_chars + 40:  # room for a label
            found = read_credit(paragraph, kind, grammar)
            if found:
                return index, found
    return None


def accept(candidate: str, needs: Needs, grammar: CreditGrammar) -> str | None:
    """The credit ``candidate`` holds, when it is one by the grammar and ``needs``."""
    credit, labelled = trim_credit(candidate, grammar)
    if not credit or len(credit) > grammar.max_chars:
        return None
    if any(n.scope == "credit" and n.regex.search(credit) for n in grammar.not_credit):
        return None
    if not _names(credit, grammar.name_words):
        return None
    if needs == "label" and not labelled:
        return None
    if (
        needs == "shape"
        and not labelled
        and not any(s.regex.search(credit) for s in grammar.shapes)
    ):
        return None
    return credit


def trim_credit(text: str, grammar: CreditGrammar) -> tuple[str, bool]:
    """(credit, whether a label stood before it): labels, trailers, enclosing brackets and a
    final full stop (not one that ends an abbreviation) removed."""
    credit = _trim(clean_text(text))
    labelled = False
    previous = None
    while credit != previous:
        previous = credit
        if _enclosed(credit):
            credit = _trim(credit[1:-1])
        match = grammar.label.match(credit)
        if match and match.end():
            credit, labelled = _trim(credit[match.end() :]), True
        credit = _trim(grammar.trailer.sub("", credit))
        if credit.endswith(".") and not _ABBREVIATION_END.search(credit):
            credit = _trim(credit[:-1])
    return credit, labelled


def _trim(text: str) -> str:
    return text.strip().strip(_EDGES).strip()


def _enclosed(text: str) -> bool:
    """Whether the whole text is one bracketed group: "(Jane Doe)", not "(a) and (b)"."""
    if len(text) < 2 or text[0] not in "([" or text[-1] not in ")]":
        return False
    depth = 0
    for i, char in enumerate(text):
        depth += char in "(["
        depth -= char in ")]"
        if depth == 0 and i < len(text) - 1:
            return False
    return depth == 0


def _names(credit: str, name_words: tuple[str, ...]) -> bool:
    """Names, agencies and their joining words, not a sentence. Between separators (slashes,
    pipes, commas, spaced dashes) every word holds a capital (or is a number, a sign, a web
    address) or is one of ``name_words``; or one or two words are all lower case (a user name or
    a name so written: "jdoe / Getty Images", "Jane Doe/dpa"). A single word may be anything."""
    tokens = _TOKEN.findall(credit)
    if not tokens or len(tokens) > _MAX_WORDS or all(t in name_words for t in tokens):
        return False  # a sentence; "the", "via"
    if len(tokens) == 1:
        return True
    segments = [_TOKEN.findall(s) for s in _SEGMENT.split(credit)]
    several = sum(1 for words in segments if words) > 1
    return all(
        all(_name_word(w, name_words) for w in words)
        or (several and len(words) <= _HANDLE_WORDS and all(w.islower() for w in words))
        for words in segments
    )


def _name_word(word: str, name_words: tuple[str, ...]) -> bool:
    """ "Jane", "AFP", "iStock", "2024", "&", "via", "example.com", "@jdoe"."""
    return (
        not word[0].isalpha()
        or not word.islower()
        or word in name_words
        or "." in word.rstrip(".")
        or "@" in word
    )
