"""The fetching sources' pages as ``Found`` records, like those of a folder scan.

``collect`` turns them into the same ``Found`` records a folder scan gives: each page's body is a
file in the state folder's HTTP cache, its stat the hash of those bytes (and when the server
first sent them), so that a page that did not change (a 304, or an equal body) is not parsed
again. A page that cannot be fetched becomes a record with the reason, which the pipeline
reports (keeping its last good version); an upstream feed's entry stands in for its page when
that page was never fetched.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypeVar

from ..config import Config
from ..config.fetch import RemoteSource
from ..records import Found, PageInfo
from .cache import Cached, HttpCache, sha_of
from .discover import Link, ListError, chosen, parse_feed, parse_sitemap, url_lines
from .page import PAGE_TYPES, entry_html, served_page

if TYPE_CHECKING:
    from .client import Fetcher, Response

SITEMAP_TYPES = (
    "text/xml",
    "application/xml",
    "application/gzip",
    "application/x-gzip",
    "application/octet-stream",
    "text/plain",
)
FEED_TYPES = (
    "application/rss+xml",
    "application/atom+xml",
    "application/feed+json",
    "application/json",
    "text/xml",
    "application/xml",
    "application/rdf+xml",
    "text/plain",
)

T = TypeVar("T")


@dataclass
class Collected:
    """What the fetching sources gave."""

    found: list[Found] = field(default_factory=list)
    problems: list[tuple[str, str]] = field(default_factory=list)
    """(URL, reason) of the lists (sitemaps, feeds) that could not be fetched this run."""
    warnings: list[str] = field(default_factory=list)
    complete: bool = True
    """False when a sitemap or feed could be read neither fresh nor from the cache: the pages it
    listed before are unknown this run, so no page missing from the lists counts as removed."""


def collect(
    config: Config,
    *,
    offline: bool = False,
    readonly: bool = False,
    fetcher_factory: Callable[[], Fetcher] | None = None,
) -> Collected:
    """Fetch (or with ``offline``, read from the cache) every page of ``config.remote``.
    ``readonly`` (a dry run) writes nothing to the cache."""
    cache = HttpCache(config.state_dir, readonly=readonly)
    fetcher = None
    if not offline:
        if fetcher_factory is not None:
            fetcher = fetcher_factory()
        else:
            from .client import Fetcher

            fetcher = Fetcher(config.fetch, config.fetch.contact or config.feed.base_url)
    # what a page or list that was never fetched is, in a run that fetches nothing
    uncached = (
        "not fetched yet (a dry run fetches nothing)"
        if readonly
        else "not in the cache (--offline)"
    )
    run = _Run(config, cache, fetcher, uncached)
    try:
        for source in config.remote:
            run.source(source)
    finally:
        if fetcher is not None:
            fetcher.close()
        cache.close()
    return run.out


class _Run:
    def __init__(
        self, config: Config, cache: HttpCache, fetcher: Fetcher | None, uncached: str
    ) -> None:
        self.config = config
        self.cache = cache
        self.fetcher = fetcher
        self.uncached = uncached
        self.out = Collected()
        self.keys: set[str] = set()

    def source(self, source: RemoteSource) -> None:
        links = self.links(source)
        if links is None:
            return
        links = [link for link in links if link.url not in self.keys]
        self.keys.update(link.url for link in links)
        workers = max(1, min(self.config.fetch.concurrency, len(links)))
        with ThreadPoolExecutor(workers) as pool:
            found = list(pool.map(lambda link: self.page(source, link), links))
        self.out.found.extend(found)

    # ---------------------------------------------------------------- what a source lists

    def links(self, source: RemoteSource) -> list[Link] | None:
        if source.kind == "urls":
            urls = list(source.urls)
            if source.file is not None:
                urls += url_lines(source.file.read_text("utf-8", errors="replace"))
            return chosen((Link(u) for u in urls), source.limit, None)
        assert source.url is not None
        if source.kind == "feed":
            links = self.document(source, source.url, FEED_TYPES, parse_feed)
            return None if links is None else chosen(links, source.limit, None)
        return self.sitemap(source, source.url)

    def sitemap(self, source: RemoteSource, url: str) -> list[Link] | None:
        """The pages of a sitemap, following indexes breadth first."""
        pages: list[Link] = []
        queue = [url]
        seen = {url}
        read = 0
        while queue:
            current = queue.pop(0)
            if read >= self.config.fetch.max_sitemaps:
                self.out.warnings.append(
                    f"{url}: more than {read} sitemaps; the rest are left out (fetch.max_sitemaps)"
                )
                break
            read += 1
            sitemap = self.document(source, current, SITEMAP_TYPES, parse_sitemap)
            if sitemap is None:
                if current == url:
                    return None
                continue
            pages.extend(sitemap.pages)
            for child in sitemap.sitemaps:
                if child and child not in seen:
                    seen.add(child)
                    queue.append(child)
        return chosen(pages, source.limit, source.since)

    def document(
        self,
        source: RemoteSource,
        url: str,
        accept: Sequence[str],
        parse: Callable[[bytes, str], T],
    ) -> T | None:
        """A sitemap or a feed, parsed: as fetched, else its last good copy (the problem is
        reported either way); None when there is neither. A fetched copy that does not parse
        is not kept, so the last good one goes on standing in for it."""
        cached = self.cache.get(url)
        if self.fetcher is None:
            return self._last_good(url, cached, parse, self.uncached, quiet=True)
        from .client import FetchError

        try:
            response = self._get(source, url, accept, cached)
        except FetchError as e:
            return self._last_good(url, cached, parse, e.reason)
        if response.status == 304 and cached is not None:
            self._store(response, cached)
            return self._last_good(url, cached, parse, "not in the cache", quiet=True)
        try:
            parsed = parse(response.body or b"", response.final_url)
        except ListError as e:
            return self._last_good(url, cached, parse, str(e))
        self._store(response, cached)
        return parsed

    def _last_good(
        self,
        url: str,
        cached: Cached | None,
        parse: Callable[[bytes, str], T],
        reason: str,
        *,
        quiet: bool = False,
    ) -> T | None:
        """The cached copy of a list, parsed. ``reason`` is why it is needed; with ``quiet``,
        only its absence is a problem (an --offline run, a 304)."""
        body = self.cache.body(url) if cached is not None else None
        if cached is None or body is None:
            self.out.problems.append((url, reason))
            self.out.complete = False
            return None
        try:
            parsed = parse(body, cached.final_url)
        except ListError as e:
            self.out.problems.append((url, f"{reason}; its last good copy does not parse: {e}"))
            self.out.complete = False
            return None
        if not quiet:
            self.out.problems.append((url, f"{reason}; its last good copy is used"))
        return parsed

    # ---------------------------------------------------------------- pages

    def page(self, source: RemoteSource, link: Link) -> Found:
        url = link.url
        cached = self.cache.get(url)
        if self.fetcher is None:
            if cached is not None:
                return self._found(source, cached)
            return self._failed(source, link, cached, self.uncached)
        from .client import FetchError

        try:
            response = self._get(source, url, PAGE_TYPES, cached)
        except FetchError as e:
            return self._failed(source, link, cached, e.reason)
        return self._found(source, self._store(response, cached))

    def _get(
        self, source: RemoteSource, url: str, accept: Sequence[str], cached: Cached | None
    ) -> Response:
        assert self.fetcher is not None
        return self.fetcher.get(
            url,
            accept=accept,
            max_bytes=source.max_bytes,
            robots=source.robots,
            etag=cached.etag if cached else None,
            last_modified=cached.last_modified if cached else None,
        )

    def _store(self, response: Response, cached: Cached | None) -> Cached:
        """The cache entry after ``response`` (a 304 keeps the body and, unless it brings new
        ones, the validators)."""
        if response.status == 304 and cached is not None:
            renewed = Cached(
                cached.url,
                cached.final_url,
                cached.content_type,
                cached.charset,
                response.etag or cached.etag,
                response.last_modified or cached.last_modified,
                cached.sha,
                cached.served,  # the body's moment, not the 304's
            )
            body = self.cache.body(cached.url)
            if body is not None:
                self.cache.put(renewed, body)
            return renewed
        body = response.body or b""
        sha = sha_of(body)
        served = response.served.isoformat() if response.served else None
        if cached is not None and cached.sha == sha and cached.served:
            served = cached.served  # the same bytes: their relative dates still count from then
        entry = Cached(
            response.url,
            response.final_url,
            response.content_type,
            response.charset,
            response.etag,
            response.last_modified,
            sha,
            served,
        )
        self.cache.put(entry, body)
        return entry

    def _found(self, source: RemoteSource, cached: Cached) -> Found:
        page = served_page(cached.final_url, cached.content_type, cached.charset, cached.served_at)
        is_html = page.html
        stat = (
            f"http:{cached.sha}:{cached.final_url}:{cached.charset}:{int(is_html)}"
            f":{cached.served or ''}"
        )
        return Found(
            cached.url, str(self.cache.path(cached.url)), cached.url, stat, source.max_bytes, page
        )

    def _failed(
        self, source: RemoteSource, link: Link, cached: Cached | None, reason: str
    ) -> Found:
        url = link.url
        if link.entry is not None and cached is None:
            # an upstream feed's entry: its own text stands in for the page
            self.out.warnings.append(f"{url}: {reason}; the feed entry's own text is used")
            data = entry_html(link)
            path = self.cache.put_file(f"{self.cache.path(url).name}.entry", data)
            page = PageInfo(url, "utf-8", True, fetched=False)
            return Found(url, str(path), url, f"entry:{sha_of(data)}", source.max_bytes, page)
        page = PageInfo(url, fetched=False, error=reason)
        return Found(url, "", url, f"error:{reason}", source.max_bytes, page)
