"""Render output files to bytes, one at a time. Pure: writing them to disk is ``publish.py``'s.

``feeds.py`` renders the three feeds of a view, ``site.py`` the pages, ``atom_rss.py`` and
``jsonfeed.py`` the feed formats; ``view.py`` names and orders entries and feeds.
"""

from __future__ import annotations

from pathlib import Path

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


def prepare(templates: Path | None = None, cache_dir: Path | None = None) -> None:
    """Import the writers and compile the templates, as a first render would: a build does it
    while worker processes parse, so that rendering starts at once."""
    from .feeds import render_feeds  # noqa: F401
    from .site import environment

    env = environment(templates, cache_dir)
    for name in env.list_templates(filter_func=lambda name: name.endswith(".html")):
        env.get_template(name)


def static_file(name: str, templates: Path | None = None) -> bytes:
    """A stylesheet: the user's from ``templates`` when there is one, else the built-in."""
    own = templates / name if templates else None
    return (own if own and own.is_file() else TEMPLATES / name).read_bytes()
