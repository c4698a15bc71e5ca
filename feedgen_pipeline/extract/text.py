"""Extract a Document from a plain-text article.

Layout: the headline on the first non-empty line; an optional short dek paragraph; an optional
image credit line ("Image Credits: …", "Photo: …"); then body paragraphs separated by blank lines,
the last of which may be a credit line too ("Main image credit: …").
"""

from __future__ import annotations

import re

from ..config import Rules
from ..model import Document, Evidence, Image
from .common import clean_text
from .credits import credit_line

_BLANK_LINE = re.compile(r"\n[ \t\u00a0]*\n")
# how many paragraphs after the headline may hold the credit line
_CREDIT_WINDOW = 3
# how many paragraphs at the end may hold a credit line after the body
_AFTER_BODY = 2


def extract_text(source: str, text: str, rules: Rules) -> Document:
    """Parse a plain-text article (already decoded) into a Document."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    blocks = [b for b in (b.strip() for b in _BLANK_LINE.split(text)) if b]
    evidence: list[Evidence] = []
    headline: str | None = None
    if blocks:
        first, _, rest = blocks[0].partition("\n")
        headline = clean_text(first) or None
        blocks = ([rest] if rest.strip() else []) + blocks[1:]
        if headline:
            evidence.append(Evidence("headline", "first-line", headline))
    paragraphs = [p for p in (clean_text(b) for b in blocks) if p]

    credit = None
    found = credit_line(paragraphs[:_CREDIT_WINDOW], "line", rules.credit)
    if found:
        index, reading = found
        credit = reading.credit
        evidence.append(Evidence("image_credit", reading.place, paragraphs[index]))
        before, paragraphs = paragraphs[:index], paragraphs[index + 1 :]
        # what stands between headline and credit is the dek when it is one short paragraph;
        # anything longer is body text
        if len(before) == 1 and len(before[0]) <= rules.dek_max_chars:
            dek: str | None = before[0]
        else:
            dek, paragraphs = None, before + paragraphs
    else:
        dek = None
        if len(paragraphs) > 1 and len(paragraphs[0]) <= rules.dek_max_chars:
            dek, paragraphs = paragraphs[0], paragraphs[1:]
        start = max(1 if dek is None else 0, len(paragraphs) - _AFTER_BODY)
        last = credit_line(paragraphs[start:], "after-body", rules.credit)
        if last:
            index, reading = last
            credit = reading.credit
            evidence.append(Evidence("image_credit", reading.place, paragraphs[start + index]))
            paragraphs = paragraphs[: start + index] + paragraphs[start + index + 1 :]
    if dek:
        evidence.append(Evidence("dek", "paragraph-after-headline", dek))

    return Document(
        source=source,
        kind="text",
        headline=headline,
        dek=dek,
        description=None,
        paragraphs=tuple(paragraphs),
        image=Image(url=None, credit=credit) if credit else None,
        evidence=tuple(evidence),
    )
