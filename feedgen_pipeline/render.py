"""Output files of a plan (``plan.py``) to bytes: each loads only the articles it shows.

``Renderer`` turns one ``Output`` into its files; ``apply_output`` renders one and writes what
changed. ``publish.py`` runs them in order, in this process or in worker processes.
"""

from __future__ import annotations

import os
from collections import OrderedDict
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from .config import Config, Rules
from .files import write_if_changed
from .layout import Output, PlannedEntry, PlannedTag, SitePlan
from .model import Article, Entry, FeedView, TagFeed, TagRef
from .parse import enrich_file
from .records import OutputStat, Record
from .state.files import same_bytes
from .state.store import Store

if TYPE_CHECKING:
    from .write.feeds import FormKey


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
        record = self.records.get(key) or self.store.records([key]).get(key)
        if record is None:
            return None
        source = record.meta.source if record.meta else None
        try:
            article = enrich_file(Path(key), self.rules, source)
        except Exception as e:  # a kept entry whose file is gone, or that now fails
            self.warnings.append(f"{key}: stored article unreadable, left out ({e})")
            return None
        if not self.readonly:
            self.store.put(record, article)
        return article


class Renderer:
    """Turns the outputs of a plan into bytes, loading the articles they show."""

    def __init__(
        self,
        config: Config,
        site: SitePlan,
        articles: Articles,
        cache_dir: Path | None,
        forms: Mapping[FormKey, str] | None = None,
    ) -> None:
        from .write.feeds import EntryForms  # feedgen and lxml only when something is rendered
        from .write.site import environment

        self.feed = config.feed
        self.templates = config.site.templates
        self.full_tags = config.site.tag_feed_content == "full"
        self.stylesheet = config.site.feed_stylesheet
        self.site = site
        self.articles = articles
        self.env = environment(self.templates, cache_dir)
        self.forms = EntryForms(self.feed.base_url, made=forms)
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
            entry = self.entry(output.entry)
            if entry is None:
                return {}
            # each tag's feed named as this article names the tag: the page depends on its own
            # article only, not on the label another article gives the tag
            refs = self.site.entry_tags.get(output.entry.id, ())
            feeds = [(r, self.by_key.get((r.kind, r.key))) for r in refs]
            views = [self._view((), r.label, t.path) for r, t in feeds if t is not None]
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
            entries=tuple(e for p in entries if (e := self.entry(p)) is not None),
            path=path,
            stylesheet=self.stylesheet,
            hub=feed.websub_hub,
        )

    def entry(self, planned: PlannedEntry) -> Entry | None:
        article = self.articles.get(planned.key)
        if article is None:
            return None
        return planned_entry(planned, article)


Done = list[tuple[str, bool, OutputStat | None]]
"""What writing an output did: each file, whether its bytes changed, and its stat."""


def apply_output(output: Output, renderer: Renderer, out: Path, dry_run: bool) -> Done:
    done: Done = []
    for relpath, data in renderer.render(output).items():
        path = out / relpath
        if dry_run:
            done.append((relpath, not same_bytes(path, data), None))
            continue
        changed = write_if_changed(path, data)
        st = os.stat(path)
        done.append((relpath, changed, OutputStat(st.st_size, st.st_mtime_ns, output.digest)))
    return done


def planned_entry(planned: PlannedEntry, article: Article) -> Entry:
    """An entry of the plan with its article."""
    return Entry(
        article=article,
        id=planned.id,
        link=planned.id,
        slug=planned.slug,
        published=planned.published,
        updated=planned.updated,
        has_page=planned.has_page,
    )
