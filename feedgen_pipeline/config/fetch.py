"""The config of sources fetched over HTTP (``urls``, ``sitemap``, ``feed``) and of ``fetch:``.

Checked by ``config.py`` with the same checker, so that every problem names file, line and key.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from .yamlcheck import Checker

RemoteKind = Literal["urls", "sitemap", "feed"]
REMOTE_KINDS: tuple[RemoteKind, ...] = ("urls", "sitemap", "feed")
Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@dataclass(frozen=True)
class FetchConfig:
    """How pages are fetched: the same for every fetching source."""

    contact: str | None = None
    """A URL naming who runs the fetcher, sent in the User-Agent (default: ``feed.base_url``)."""
    connect_timeout: float = 10.0
    read_timeout: float = 30.0
    retries: int = 3
    """Further attempts after a 429, a 5xx or a network error."""
    backoff: float = 1.0
    """Seconds before the first retry, doubled for each next one (a Retry-After wins)."""
    max_retry_after: float = 120.0
    """A longer Retry-After is cut to this many seconds."""
    max_redirects: int = 5
    concurrency: int = 4
    """Requests in flight at once, over all hosts."""
    per_host: int = 2
    """Requests in flight at once to one host."""
    delay: float = 1.0
    """Seconds between the starts of two requests to one host."""
    max_sitemaps: int = 50
    """Sitemaps read from one sitemap source, indexes included."""
    allow_networks: tuple[Network, ...] = ()
    """Private, loopback or link-local networks that may be fetched all the same."""


@dataclass(frozen=True)
class RemoteSource:
    """A source whose articles are fetched: a list of URLs, a sitemap or an upstream feed."""

    id: str
    kind: RemoteKind
    url: str | None = None
    """The sitemap's or the feed's URL (``sitemap``, ``feed``)."""
    urls: tuple[str, ...] = ()
    """The pages of a ``urls`` source given in the config."""
    file: Path | None = None
    """A file with one URL a line (``urls``); blank lines and lines starting with # are skipped."""
    limit: int | None = None
    """At most this many pages (the newest first when the sitemap or feed dates them)."""
    since: datetime | None = None
    """Only pages a sitemap dates on or after this moment (undated ones are kept)."""
    robots: bool = True
    """Whether robots.txt is respected."""
    max_bytes: int = 10_000_000


def url_problem(url: str) -> str | None:
    """Why ``url`` cannot be fetched, or None."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return f"expected an absolute http(s) URL, got {url!r}"
    return None


_REMOTE_KEYS: dict[str, tuple[str, ...]] = {
    "urls": ("id", "type", "urls", "file", "robots", "max_bytes"),
    "sitemap": ("id", "type", "url", "limit", "since", "robots", "max_bytes"),
    "feed": ("id", "type", "url", "limit", "robots", "max_bytes"),
}


def remote_keys(kind: str) -> tuple[str, ...]:
    return _REMOTE_KEYS[kind]


def parse_remote_source(
    check: Checker, data: dict[str, Any], path: str, kind: RemoteKind, source_id: str, folder: Path
) -> RemoteSource:
    """One fetching source (its keys already checked against ``remote_keys``)."""
    url = None
    if kind in ("sitemap", "feed"):
        url = check.get(data, path, "url", str, None, required=True)
        if url is not None and url_problem(url):
            check.problem(f"{path}.url", url_problem(url) or "")
    urls: tuple[str, ...] = ()
    file = None
    if kind == "urls":
        urls = check.string_list(data, path, "urls", ())
        for i, item in enumerate(urls):
            if url_problem(item):
                check.problem(f"{path}.urls[{i}]", url_problem(item) or "")
        name = check.get(data, path, "file", str, None)
        if name is not None:
            file = folder / name
            if not file.is_file():
                check.problem(f"{path}.file", f"no such file: {file}")
        if not urls and file is None:
            check.problem(f"{path}.urls", "give `urls` (a list) or `file` (one URL a line)")
    limit = check.get(data, path, "limit", int, None)
    if limit is not None and limit < 1:
        check.problem(f"{path}.limit", "must be at least 1")
    max_bytes = check.get(data, path, "max_bytes", int, 10_000_000)
    if max_bytes < 1:
        check.problem(f"{path}.max_bytes", "must be at least 1")
    return RemoteSource(
        id=source_id,
        kind=kind,
        url=url,
        urls=urls,
        file=file,
        limit=limit,
        since=_since(check, data, path),
        robots=check.get(data, path, "robots", bool, True),
        max_bytes=max_bytes,
    )


def _since(check: Checker, data: dict[str, Any], path: str) -> datetime | None:
    value = data.get("since")
    if value is None:
        return None
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day, tzinfo=UTC)
    if isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value)
        except ValueError:
            pass
        else:
            return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    check.problem(
        f"{path}.since", f"expected a date (2026-01-31) or a date and time, got {value!r}"
    )
    return None


_FETCH_KEYS = (
    "contact",
    "connect_timeout",
    "read_timeout",
    "retries",
    "backoff",
    "max_retry_after",
    "max_redirects",
    "concurrency",
    "per_host",
    "delay",
    "max_sitemaps",
    "allow_networks",
)


def parse_fetch(check: Checker, raw: Any) -> FetchConfig:
    data = check.mapping(raw, "fetch", _FETCH_KEYS)
    contact = check.get(data, "fetch", "contact", str, None)
    if contact is not None and url_problem(contact):
        check.problem("fetch.contact", url_problem(contact) or "")

    def number(key: str, default: float, least: float) -> float:
        value = float(check.get(data, "fetch", key, (int, float), default))
        if value < least:
            check.problem(f"fetch.{key}", f"must be at least {least:g}")
        return value

    def whole(key: str, default: int, least: int) -> int:
        value: int = check.get(data, "fetch", key, int, default)
        if value < least:
            check.problem(f"fetch.{key}", f"must be at least {least}")
        return value

    networks = []
    for i, item in enumerate(check.string_list(data, "fetch", "allow_networks", ())):
        try:
            networks.append(ipaddress.ip_network(item, strict=False))
        except ValueError:
            check.problem(
                f"fetch.allow_networks[{i}]",
                f"expected an address or a network (127.0.0.1, 10.0.0.0/8), got {item!r}",
            )
    return FetchConfig(
        contact=contact,
        connect_timeout=number("connect_timeout", 10.0, 0.001),
        read_timeout=number("read_timeout", 30.0, 0.001),
        retries=whole("retries", 3, 0),
        backoff=number("backoff", 1.0, 0),
        max_retry_after=number("max_retry_after", 120.0, 0),
        max_redirects=whole("max_redirects", 5, 0),
        concurrency=whole("concurrency", 4, 1),
        per_host=whole("per_host", 2, 1),
        delay=number("delay", 1.0, 0),
        max_sitemaps=whole("max_sitemaps", 50, 1),
        allow_networks=tuple(networks),
    )
