"""The last stage of a run: the shown entries' articles loaded, every output file rendered,
written where its bytes changed, stale files removed, and what is on disk recorded in the state.

Nothing is written until the state holds the run's articles (``pipeline.py`` commits them
first), and article pages are written before the feeds that link to them.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from . import __version__
from .config import Config, Rules
from .errors import OutputError
from .model import Article
from .parse import enrich_file
from .state.files import (
    remove_empty_folders,
    remove_temp_files,
    same_bytes,
    stale_files,
    write_if_changed,
)
from .state.records import Dates, OutputStat, Record
from .state.store import Store
from .write import TEMPLATES, prepare
from .write.view import TagKey, make_site


@dataclass(frozen=True)
class Published:
    """What a run put in ``output/`` (or, for a dry run, would have)."""

    articles: tuple[Article, ...]
    """The main feed's articles, newest first."""
    written: tuple[str, ...]
    unchanged: tuple[str, ...]
    deleted: tuple[str, ...]


def feed_key(config: Config, fingerprint: str) -> str:
    """Everything besides the articles that rendering depends on, templates included."""
    parts = (
        repr(config.feed),
        repr(config.site),
        str(config.output_dir.resolve()),
        config.removed,
        fingerprint,
        _folder_digest(TEMPLATES),
        _folder_digest(config.site.templates) if config.site.templates else "",
    )
    return hashlib.sha256(repr((__version__, *parts)).encode()).hexdigest()[:24]


def _folder_digest(folder: Path) -> str:
    """Names and bytes of a (small) folder of templates."""
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.iterdir() if p.is_file()):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def load_shown(
    store: Store, top: list[Record], fresh: Mapping[str, Article], rules: Rules, dry_run: bool
) -> tuple[list[Article], list[str]]:
    """The articles of the entries shown: from this run, else from the state; one whose stored
    copy is unreadable is parsed again from its file."""
    articles: list[Article] = []
    warnings: list[str] = []
    for record in top:
        article = fresh.get(record.key) or store.article(record.key)
        if article is None:
            try:
                article = enrich_file(
                    Path(record.key), rules, record.meta.source if record.meta else None
                )
            except Exception as e:  # a kept entry whose file is gone, or that now fails
                warnings.append(f"{record.key}: stored article unreadable, left out ({e})")
                continue
            if not dry_run:
                store.put(record, article)
        articles.append(article)
    return articles, warnings


def prepare_writers(config: Config) -> None:
    """Import the writers and compile the templates ahead of ``publish``."""
    prepare(config.site.templates, _template_cache(config))


def publish(
    config: Config,
    store: Store,
    articles: list[Article],
    dates: Mapping[str, Dates],
    slugs: Mapping[str, str],
    tag_counts: Mapping[TagKey, int],
    key: str,
    total: int,
    dry_run: bool,
) -> Published:
    """Render the site of ``articles`` and write it; ``key`` (``feed_key``) and ``total`` are
    recorded in the state once every file is in place."""
    from .write import render  # feedgen and lxml are imported only when something is written

    site = make_site(
        articles,
        config.feed,
        {i: d.first_seen for i, d in dates.items()},
        min_articles=config.site.min_articles,
        changed={i: d.changed for i, d in dates.items() if d.changed},
        slugs=slugs,
        counts=tag_counts,
    )
    files = render(site, config.site.templates, None if dry_run else _template_cache(config))
    shown_articles = tuple(e.article for e in site.main.entries)
    out = config.output_dir
    stale = stale_files(out, files)
    if dry_run:
        written = tuple(r for r, data in files.items() if not same_bytes(out / r, data))
        unchanged = tuple(r for r in files if r not in written)
        return Published(shown_articles, written, unchanged, stale)
    written_list: list[str] = []
    outputs: dict[str, OutputStat] = {}
    try:
        remove_temp_files(out)
        # pages before the feeds that link to them; stale pages only once no feed links to them
        for relpath in sorted(files, key=lambda r: (not r.startswith("articles/"), r)):
            path = out / relpath
            if write_if_changed(path, files[relpath]):
                written_list.append(relpath)
            st = os.stat(path)
            outputs[relpath] = OutputStat(st.st_size, st.st_mtime_ns)
        for relpath in stale:
            (out / relpath).unlink(missing_ok=True)
        remove_empty_folders(out)
    except OSError as e:
        raise OutputError(f"cannot write {e.filename or out}: {e.strerror}") from e
    store.set_outputs(outputs)
    store.set_info({"rendered": key, "total": str(total)})
    store.commit()
    unchanged = tuple(r for r in files if r not in written_list)
    return Published(shown_articles, tuple(written_list), unchanged, stale)


def _template_cache(config: Config) -> Path | None:
    """A folder in the state for compiled templates; None (compile each time) when it cannot
    be made."""
    folder = config.state_dir / "templates"
    try:
        folder.mkdir(exist_ok=True)
    except OSError:
        return None
    return folder
