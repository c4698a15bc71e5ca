"""Render every output file to bytes. Pure: writing them to disk is the pipeline's job."""

from __future__ import annotations

from pathlib import Path

from ..model import FeedView, Site

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
STATIC = ("feed.xsl", "style.css")


def render_feeds(view: FeedView) -> dict[str, bytes]:
    """The three feeds of one view, under its folder."""
    # imported here: feedgen and lxml cost a run that has nothing to write
    from .atom_rss import atom_bytes, rss_bytes
    from .jsonfeed import jsonfeed_bytes

    return {
        f"{view.path}atom.xml": atom_bytes(view),
        f"{view.path}rss.xml": rss_bytes(view),
        f"{view.path}feed.json": jsonfeed_bytes(view),
    }


def prepare(templates: Path | None = None, cache_dir: Path | None = None) -> None:
    """Import the writers and compile the templates, as ``render`` would on its first call: a
    build does it while worker processes parse, so that rendering starts at once."""
    from .atom_rss import atom_bytes  # noqa: F401
    from .jsonfeed import jsonfeed_bytes  # noqa: F401
    from .site import environment

    env = environment(templates, cache_dir)
    for name in env.list_templates(filter_func=lambda name: name.endswith(".html")):
        env.get_template(name)


def render(
    site: Site, templates: Path | None = None, cache_dir: Path | None = None
) -> dict[str, bytes]:
    """Output path (relative, with forward slashes) → file contents.

    Article pages come first: a run writes them before the feeds that link to them. With
    ``cache_dir`` (an existing folder), compiled templates are kept there between runs.
    """
    from .site import environment, opml, render_site

    pages = render_site(site, environment(templates, cache_dir))
    files = {p: data for p, data in pages.items() if p.startswith("articles/")}
    files.update(render_feeds(site.main))
    for tag in site.tags:
        files.update(render_feeds(tag.view))
    files.update((p, data) for p, data in pages.items() if not p.startswith("articles/"))
    files["feeds.opml"] = opml(site)
    for name in STATIC:
        own = templates / name if templates else None
        files[name] = (own if own and own.is_file() else TEMPLATES / name).read_bytes()
    return files
