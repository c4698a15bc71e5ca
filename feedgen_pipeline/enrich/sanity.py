"""What a hostile or broken page may put in a Document, made safe before enrichment.

Text fields are already free of characters XML cannot carry (``clean_text``); here: headlines
that are no headline (punctuation only) or absurdly long, bylines that are not names, URLs that
are not plain absolute http(s) URLs, language tags that are not language tags, and markup in a
description (plain or escaped), which the summary must not carry.
"""

from __future__ import annotations

import re
from dataclasses import replace
from urllib.parse import urlsplit

from ..config import Rules
from ..extract.common import clean_text, plain_text
from ..model import Document, Evidence

_LANGUAGE = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$")
_WORD = re.compile(r"\w")
# over this length a "name" in a byline is a sentence picked up by mistake
_AUTHOR_MAX_CHARS = 100


def safe_url(url: str | None) -> str | None:
    """An absolute http(s) URL without spaces or control characters, else None."""
    if not url or any(c.isspace() or ord(c) < 0x20 or ord(c) == 0x7F for c in url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    return url if parts.scheme in ("http", "https") and parts.hostname else None


def cut_at_word(text: str, max_chars: int) -> str:
    if len(text) <= max_chars:
        return text
    cut = text[: max_chars - 1].rsplit(" ", 1)[0] or text[: max_chars - 1]
    return cut.rstrip(" ,;:–—-") + "…"


def sanitise(doc: Document, rules: Rules) -> Document:
    """The document with every field a feed can safely carry."""
    evidence = list(doc.evidence)
    headline = clean_text(doc.headline) or None
    if headline and not _WORD.search(headline):
        evidence.append(Evidence("headline", "no-words-dropped", headline))
        headline = None
    elif headline and len(headline) > rules.headline_max_chars:
        headline = cut_at_word(headline, rules.headline_max_chars)
        evidence.append(Evidence("headline", "cut-to-max-chars", headline))
    authors = tuple(
        dict.fromkeys(
            a for a in (clean_text(a) for a in doc.authors) if a and len(a) <= _AUTHOR_MAX_CHARS
        )
    )
    image = doc.image
    if image is not None and image.url != safe_url(image.url):
        image = replace(image, url=None)
    language = doc.language if doc.language and _LANGUAGE.match(doc.language) else None
    return replace(
        doc,
        headline=headline,
        dek=clean_text(doc.dek) or None,
        description=plain_text(doc.description) or None,
        paragraphs=tuple(p for p in doc.paragraphs if p.strip()),
        authors=authors,
        url=safe_url(doc.url),
        image=image,
        language=language,
        evidence=tuple(evidence),
    )
