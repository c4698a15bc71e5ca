"""Extraction: one Source's bytes → a Document. Pure: no clock, no file system."""

from __future__ import annotations

from ..collector import collector_paused
from ..config import Rules
from ..errors import ArticleError
from ..model import Document, Source
from ..sources import binary_share, decode, is_html


def extract(source: Source, rules: Rules) -> Document:
    """Decode and parse one source, as HTML or as plain text."""
    if not source.data.strip():
        raise ArticleError(source.relpath, "empty file")
    share = binary_share(source.data)
    if share is not None:
        raise ArticleError(
            source.relpath,
            f"binary data, not text ({share:.0%} of its first bytes are control characters or "
            "do not decode)",
        )
    html = is_html(source)
    text, _ = decode(source.data, html=html)
    if html:
        import warnings

        from bs4 import XMLParsedAsHTMLWarning

        from .html import extract_html  # BeautifulSoup is imported only when a page needs it

        # an XHTML page or a feed saved as .html is still read as HTML, on purpose
        warnings.filterwarnings("ignore", category=XMLParsedAsHTMLWarning)

        with collector_paused():
            return extract_html(source.relpath, text, rules, source.served)
    from .text import extract_text

    return extract_text(source.relpath, text, rules)
