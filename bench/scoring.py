"""How an extractor's output is compared with the ground truth, field by field."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime

from .truth import truth_day

_QUOTES = str.maketrans(
    {
        "‘": "'",
        "’": "'",
        "‚": "'",
        "′": "'",
        "“": '"',
        "”": '"',
        "„": '"',
        "–": "-",
        "—": "-",
        "\u00a0": " ",
    }
)
_CREDIT_PREFIX = re.compile(
    r"^(?:(?:photo(?:graph)?|picture|image|credit|source|foto)s?\s*(?:credits?)?\s*[:|]\s*|©\s*)+",
    re.IGNORECASE,
)
_NAVIGATION = re.compile(
    r"\b(?:skip to|sign up|sign in|log in|subscribe|share this|read more|advertisement|cookies?"
    r"|follow us|newsletter|click here|all rights reserved|main menu|related stories)\b",
    re.IGNORECASE,
)
_CREDIT_WORDS = re.compile(
    r"(?:\b(?:photo|photograph|image|picture)s?\s*(?:credits?)?\s*:|©|\bgetty images\b"
    r"|\b(?:AP|AFP|Reuters|EPA) Photo\b)",
    re.IGNORECASE,
)
_BYLINE_START = re.compile(r"^\s*by\s+[A-Z][\w'’.-]+\s+[A-Z]", re.IGNORECASE)
# a tag, an escaped tag or an escaped ampersand in what should be plain text (a character
# reference the page itself shows unresolved, "&#151;", is the page's)
_MARKUP = re.compile(r"</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?/?>|&lt;/?[A-Za-z]|&amp;")


@dataclass(frozen=True)
class Output:
    """What one extractor returned for one page."""

    headline: str | None
    authors: tuple[str, ...]
    published: datetime | str | None
    credit: str | None
    summary: str | None


def norm(text: str | None) -> str:
    """Case, quotes, dashes, accents' composition and white space do not count."""
    if not text:
        return ""
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES).casefold()
    return " ".join(text.split()).strip(" .")


def headline_exact(ours: str | None, truth: str) -> bool:
    return bool(ours) and " ".join((ours or "").split()) == " ".join(truth.split())


def headline_normalised(ours: str | None, truth: str) -> bool:
    return bool(ours) and norm(ours) == norm(truth)


def _name(text: str) -> str:
    return norm(re.sub(r"^\s*by\s+", "", text, flags=re.IGNORECASE))


def byline_match(ours: tuple[str, ...], truth: tuple[str, ...]) -> bool:
    """Every true author found, and nothing that is not one of them."""
    got = {_name(a) for a in ours}
    want = {_name(a) for a in truth}
    return bool(got) and got == want


def date_match(ours: datetime | str | None, truth: str) -> bool:
    """Same day; where the truth carries a zone, the day is read in that zone."""
    if ours is None:
        return False
    day, zoned = truth_day(truth)
    if isinstance(ours, str):
        try:
            ours = datetime.fromisoformat(ours.replace("Z", "+00:00"))
        except ValueError:
            return False
    if zoned is not None and ours.tzinfo is not None:
        return ours.astimezone(zoned.tzinfo).date() == day
    return ours.date() == day


def credit_norm(text: str) -> str:
    text = norm(_CREDIT_PREFIX.sub("", text.strip()))
    text = text.strip("()[] .")
    return re.sub(r"\s*([/|,])\s*", r"\1", text)


def credit_match(ours: str | None, accepted: tuple[str, ...]) -> bool:
    """One of the accepted forms; "" among them accepts no credit."""
    if not ours:
        return "" in accepted
    return credit_norm(ours) in {credit_norm(a) for a in accepted if a}


def credit_contains(ours: str | None, authors: tuple[str, ...]) -> bool:
    """Fundus' comparison: our credit holds every author string, case and punctuation aside."""
    words = _loose(ours or "")
    return bool(words) and all(_loose(a) in words for a in authors)


def _loose(text: str) -> str:
    return " ".join(re.sub(r"[\W_]+", " ", norm(text)).split())


def summary_problem(
    summary: str | None, authors: tuple[str, ...], credits: tuple[str, ...]
) -> str | None:
    """Why a summary is not clean: missing, or carrying markup, credit, byline or navigation
    text."""
    if not summary or not summary.strip():
        return "missing"
    markup = _MARKUP.search(summary)
    if markup:
        return f"carries markup {markup.group(0)!r}"
    low = norm(summary)
    for credit in credits:
        if credit and len(credit) > 3 and credit_norm(credit) in credit_norm(summary):
            return f"carries the credit {credit!r}"
    if _CREDIT_WORDS.search(summary):
        return "carries credit text"
    if _BYLINE_START.search(summary):
        return "starts with a byline"
    for author in authors:
        name = _name(author)
        if len(name.split()) >= 2 and (low.startswith(name) or f"by {name}" in low):
            return f"carries the byline {author!r}"
    match = _NAVIGATION.search(summary)
    if match:
        return f"carries navigation text {match.group(0)!r}"
    return None
