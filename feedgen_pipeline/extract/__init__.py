"""Extraction: one Source's bytes → a Document. Pure: no clock, no file system."""

from __future__ import annotations

from ..config import Rules
from ..model import Document, Source
from ..sources import decode, is_html


def extract(source: Source, rules: Rules) -> Document:
    """Decode and parse one source, as HTML or as plain text."""
    html = is_html(source)
    text, _ = decode(source.data, html=html)
    if html:
        from .html import extract_html  # BeautifulSoup is imported only when a page needs it

        return extract_html(source.relpath, text, rules)
    from .text import extract_text

    return extract_text(source.relpath, text, rules)
