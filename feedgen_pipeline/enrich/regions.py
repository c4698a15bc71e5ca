"""The text a tagger reads: regions in reading order, and the shape of a name in them."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Region:
    """A part of the article: headline, dek, lead or body."""

    name: str
    text: str
    """As matched: an all-capitals text (a wire headline) is recased, offsets unchanged."""
    offset: int
    """Where the region starts in the article's text (regions joined by one character)."""
    titled: bool = False
    """All capitals or Title Case (a headline): capitals there say nothing about names."""


def make_regions(parts: Sequence[tuple[str, str]], keep_upper: Iterable[str]) -> tuple[Region, ...]:
    """Regions from (name, text) pairs; all-capitals texts recased, keeping the ``keep_upper``
    words (US, UK, NATO ...) as they are."""
    keep = frozenset(keep_upper)
    out = []
    offset = 0
    for name, text in parts:
        caps = is_all_caps(text)
        recased = recase(text, keep) if caps else text
        titled = caps or (name == "headline" and is_title_case(text))
        out.append(Region(name, recased, offset, titled))
        offset += len(text) + 1
    return tuple(out)


def is_all_caps(text: str) -> bool:
    if any(c.islower() for c in text[:40]):  # most texts tell at once
        return False
    lower = sum(1 for c in text if c.islower())
    upper = sum(1 for c in text if c.isupper())
    return upper >= 8 and lower <= 0.1 * (upper + lower)


def is_title_case(text: str) -> bool:
    words = [w for w in text.split() if len(w) >= 4 and w[0].isalpha()]
    return len(words) >= 3 and sum(w[0].isupper() for w in words) >= 0.7 * len(words)


_WORD = re.compile(r"[^\W\d_]+(?:[.'’][^\W\d_]+)*\.?")


def recase(text: str, keep: frozenset[str]) -> str:
    """ "CANADA'S WILSON SEEKS U.S. AID" → "Canada's Wilson Seeks U.S. AID" (same length)."""

    def word(m: re.Match[str]) -> str:
        w = m.group()
        if w in keep or w.rstrip(".") in keep:
            return w
        head, _, tail = w.partition("'") if "'" in w else w.partition("’")
        if tail:  # CANADA'S → Canada's
            sep = w[len(head)]
            return head[:1] + head[1:].lower() + sep + tail.lower()
        new = w[:1] + w[1:].lower()
        return new if len(new) == len(w) else w

    return _WORD.sub(word, text)


# ---------------------------------------------------------------- the shape of a name

UPPER = "A-ZÀ-ÖØ-ÞĄĆČĎĘĚŁŃŇŘŚŠŤŮŹŻŽ"
LOWER = "a-zß-öø-ÿąćčďęěłńňřśšťůźżž"
_STOP = (
    "Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|January|February|March|April|"
    "June|July|August|September|October|November|December|Says|Said|Tells|Told|Urges|Warns|"
    "Calls|Meets|Visits|Denies|Vows|Seeks|Sees|Wins|Quits|Dies|Is|Was|Has|Had|Will|Would|And|Or|"
    "But|The|In|On|At|Of|For|To|From|With|By|As|If|This|That|It|He|She|They|We|Yesterday|Today"
)
NAME_WORD = (
    rf"(?!(?:{_STOP})\b)"
    rf"(?:[{UPPER}](?:[{LOWER}]|['’][{UPPER}])[{LOWER}]*(?:[{UPPER}][{LOWER}]+)*"
    rf"(?:-[{UPPER}][{LOWER}]+)*"
    rf"|[{UPPER}]\.)"
)
"""A capitalised word with lower-case letters ("Antonov", "McCague", "O'Gorman"), or an initial."""
PARTICLE = r"(?:bin|ibn|al|el|de|da|di|del|van|von|der|den|le|la|du|abu|dos|das|ben)"
PERSON_NAME = rf"{NAME_WORD}(?:\s+(?:{PARTICLE}[\s-]){{0,2}}{NAME_WORD}){{0,3}}(?![\w-])"
"""One to four name words, with particles ("Omar Hassan al-Bashir", "Ursula von der Leyen")."""
