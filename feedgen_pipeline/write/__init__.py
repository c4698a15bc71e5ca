"""Render every output file to bytes. Pure: writing them to disk is the pipeline's job."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from ..model import FeedView, Site
from .atom_rss import atom_bytes, rss_bytes
from .jsonfeed import jsonfeed_bytes
from .site import environment, opml, render_site

STATIC = ("feed.xsl", "style.css")


def render_feeds(view: FeedView) -> dict[str, bytes]:
    """The three feeds of one view, under its folder."""
    return {
        f"{view.path}atom.xml": atom_bytes(view),
        f"{view.path}rss.xml": rss_bytes(view),
        f"{view.path}feed.json": jsonfeed_bytes(view),
    }


def render(site: Site, templates: Path | None = None) -> dict[str, bytes]:
    """Output path (relative, with forward slashes) → file contents."""
    files = render_feeds(site.main)
    for tag in site.tags:
        files.update(render_feeds(tag.view))
    files.update(render_site(site, environment(templates)))
    files["feeds.opml"] = opml(site)
    package = resources.files("feedgen_pipeline").joinpath("templates")
    for name in STATIC:
        own = templates / name if templates else None
        files[name] = (
            own.read_bytes() if own and own.is_file() else package.joinpath(name).read_bytes()
        )
    return files
