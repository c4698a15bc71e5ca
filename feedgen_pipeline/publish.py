"""The last stage of a run: the output files that the plan (``plan.py``) says must be rendered
are rendered one at a time, written where their bytes changed, stale files removed, and what is
on disk recorded in the state.

Nothing is written until the state holds the run's articles (``pipeline.py`` commits them
first), and article pages are written before the feeds that link to them.
"""

from __future__ import annotations

import hashlib
import os
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from . import __version__
from .config import Config, Rules
from .errors import OutputError
from .model import Article, Entry, FeedView, TagFeed, TagRef
from .parse import enrich_file
from .plan import Output, OutputPlan, PlannedEntry, PlannedTag, SitePlan
from .state.files import remove_empty_folders, remove_temp_files, same_bytes, write_if_changed
from .state.records import OutputStat, Record
from .state.store import Store
from .write import TEMPLATES, prepare


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
        _folder_digest(Path(__file__).resolve().parent / "write"),
        _folder_digest(config.site.templates) if config.site.templates else "",
    )
    return hashlib.sha256(repr((__version__, *parts)).encode()).hexdigest()[:24]


def _folder_digest(folder: Path) -> str:
    """Names and bytes of a (small) folder of templates."""
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.iterdir() if p.is_file() and p.suffix != ".pyc"):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


class Articles:
    """The articles of the entries a run renders, loaded as they are needed: from this run's
    results, else from the state; one whose stored copy is unreadable is made again from its
    file. The newest ``size`` are kept, so that memory does not grow with the output."""

    def __init__(
        self,
        store: Store,
        fresh: Mapping[str, Article],
        records: Mapping[str, Record],
        rules: Rules,
        *,
        readonly: bool,
        size: int = 2048,
    ) -> None:
        self.store, self.fresh, self.records, self.rules = store, fresh, records, rules
        self.readonly = readonly
        self.size = size
        self.warnings: list[str] = []
        self._cache: OrderedDict[str, Article | None] = OrderedDict()

    def get(self, key: str) -> Article | None:
        if key in self._cache:
            self._cache.move_to_end(key)
            return self._cache[key]
        article = self.fresh.get(key) or self.store.article(key) or self._again(key)
        self._cache[key] = article
        if len(self._cache) > self.size:
            self._cache.popitem(last=False)
        return article

    def _again(self, key: str) -> Article | None:
        record = self.records[key]
        source = record.meta.source if record.meta else None
        try:
            article = enrich_file(Path(key), self.rules, source)
        except Exception as e:  # a kept entry whose file is gone, or that now fails
            self.warnings.append(f"{key}: stored article unreadable, left out ({e})")
            return None
        if not self.readonly:
            self.store.put(record, article)
        return article


def prepare_writers(config: Config) -> None:
    """Import the writers and compile the templates ahead of ``publish``."""
    prepare(config.site.templates, _template_cache(config))


def publish(
    config: Config,
    store: Store,
    plan: OutputPlan,
    articles: Articles,
    *,
    recorded: Mapping[str, OutputStat],
    interrupted: bool,
    key: str,
    total: int,
    dry_run: bool,
) -> Published:
    """Render the outputs of ``plan`` whose inputs changed, one file at a time, and write those
    whose bytes changed; ``key`` (``feed_key``) and ``total`` are recorded in the state once
    every file is in place. ``recorded`` is what the state holds of the output files;
    ``interrupted``, whether the last run may have stopped while writing them."""
    cache = None if dry_run else _template_cache(config)
    renderer = _Renderer(config, plan.site, articles, cache)
    out = config.output_dir
    written: list[str] = []
    unchanged: list[str] = []
    outputs: dict[str, OutputStat] = {}
    try:
        if interrupted and not dry_run:
            remove_temp_files(out)
        for output in plan.render:  # in order: pages before the feeds that link to them
            for relpath, data in renderer.render(output).items():
                path = out / relpath
                if dry_run:
                    changed = not same_bytes(path, data)
                else:
                    changed = write_if_changed(path, data)
                    st = os.stat(path)
                    outputs[relpath] = OutputStat(st.st_size, st.st_mtime_ns, output.digest)
                (written if changed else unchanged).append(relpath)
        if not dry_run:
            # stale pages go only once no feed links to them
            for relpath in plan.remove:
                (out / relpath).unlink(missing_ok=True)
            remove_empty_folders(out, plan.remove)
    except OSError as e:
        raise OutputError(f"cannot write {e.filename or out}: {e.strerror}") from e
    shown = tuple(a for e in plan.site.main if (a := articles.get(e.key)) is not None)
    if not dry_run:
        planned = {f for o in plan.outputs for f in o.files}
        store.update_outputs(outputs, [r for r in recorded if r not in planned])
        store.set_info({"rendered": key, "total": str(total)})
        store.commit()
    return Published(shown, tuple(written), tuple(unchanged), plan.remove)


class _Renderer:
    """Turns the outputs of a plan into bytes, loading the articles they show."""

    def __init__(
        self, config: Config, site: SitePlan, articles: Articles, cache_dir: Path | None
    ) -> None:
        from .write.feeds import EntryForms  # feedgen and lxml only when something is rendered
        from .write.site import environment

        self.feed = config.feed
        self.templates = config.site.templates
        self.full_tags = config.site.tag_feed_content == "full"
        self.site = site
        self.articles = articles
        self.env = environment(self.templates, cache_dir)
        self.forms = EntryForms(self.feed.base_url)
        self.by_key = {(t.ref.kind, t.ref.key): t for t in site.tags}
        self.main = self._view(site.main)

    def render(self, output: Output) -> dict[str, bytes]:
        from .write import site, static_file
        from .write.feeds import render_feeds

        tag = output.tag
        if output.kind in ("feeds", "listing"):
            view = self.main if tag is None else self._feed(tag, tag.entries).view
            if output.kind == "feeds":
                return render_feeds(view, self.forms, full=tag is None or self.full_tags)
            heading = view.title if tag is None else tag.ref.label
            page = site.listing_page(self.env, self.main, view, heading, self._tag_href)
            return {output.files[0]: page}
        if output.kind == "page":
            assert output.entry is not None
            entry = self._entry(output.entry)
            if entry is None:
                return {}
            refs = self.site.entry_tags.get(output.entry.id, ())
            own = [self.by_key[(t.kind, t.key)] for t in refs if (t.kind, t.key) in self.by_key]
            views = [self._feed(t, ()).view for t in own]
            page = site.article_page(self.env, self.main, entry, views, self._tag_href)
            return {output.path: page}
        if output.kind == "tags":
            tags = [self._feed(t, ()) for t in self.site.tags if t.ref.kind == output.path]
            return {output.files[0]: site.tags_page(self.env, self.main, output.path, tags)}
        if output.kind == "opml":
            return {output.path: site.opml(self.main, [self._feed(t, ()) for t in self.site.tags])}
        return {output.path: static_file(output.path, self.templates)}

    def _tag_href(self, tag: TagRef, root: str) -> str | None:
        slug = self.site.slugs.get((tag.kind, tag.key))
        return f"{root}{tag.kind}/{slug}/index.html" if slug else None

    def _feed(self, tag: PlannedTag, entries: tuple[PlannedEntry, ...]) -> TagFeed:
        view = self._view(entries, tag.ref.label, tag.path)
        return TagFeed(tag.ref.kind, tag.ref.key, tag.ref.label, tag.slug, tag.count, view)

    def _view(self, entries: tuple[PlannedEntry, ...], label: str = "", path: str = "") -> FeedView:
        feed = self.feed
        return FeedView(
            title=f"{feed.title} — {label}" if label else feed.title,
            description=f"{feed.description} Articles tagged {label}."
            if label
            else feed.description,
            author=feed.author,
            language=feed.language,
            base_url=feed.base_url,
            entries=tuple(e for p in entries if (e := self._entry(p)) is not None),
            path=path,
        )

    def _entry(self, planned: PlannedEntry) -> Entry | None:
        article = self.articles.get(planned.key)
        if article is None:
            return None
        return Entry(
            article=article,
            id=planned.id,
            link=planned.id,
            slug=planned.slug,
            published=planned.published,
            updated=planned.updated,
            has_page=planned.has_page,
        )


def _template_cache(config: Config) -> Path | None:
    """A folder in the state for compiled templates; None (compile each time) when it cannot
    be made."""
    folder = config.state_dir / "templates"
    try:
        folder.mkdir(exist_ok=True)
    except OSError:
        return None
    return folder
