"""Render every output file to bytes. Pure: writing them to disk is the pipeline's job."""

from __future__ import annotations

from ..model import FeedView


def render(view: FeedView) -> dict[str, bytes]:
    """Output path (relative, with forward slashes) → file contents."""
    # imported here: feedgen and lxml cost a run that has nothing to write
    from .atom_rss import atom_bytes, rss_bytes
    from .jsonfeed import jsonfeed_bytes
    from .site import article_html, index_html

    files = {
        "atom.xml": atom_bytes(view),
        "rss.xml": rss_bytes(view),
        "feed.json": jsonfeed_bytes(view),
        "index.html": index_html(view),
    }
    for entry in view.entries:
        if entry.has_page:
            files[f"articles/{entry.slug}.html"] = article_html(view, entry)
    return files
