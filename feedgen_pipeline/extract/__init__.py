"""Extraction: one Source's bytes → a Document. Pure: no clock, no file system.

``collector_paused`` keeps the cyclic collector off a page's tree while it is read (and off the
state's records while a run plans): it is here, not beside the tree, so that a run that reads
no HTML page never imports BeautifulSoup.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

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


@contextmanager
def collector_paused() -> Iterator[None]:
    """The cyclic collector held off while a page is parsed and read, then left as it was.

    A page's tree is some ten thousand objects linked both ways (parent and children, next and
    previous), alive until the page is read: every collection while it is built and read walks
    it again, and finds nothing to free. Once the page is read, the first collection walks it
    once and frees it whole."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()
