"""Names and places in the output: slugs, links, the order of a feed, the folders a build owns.
Pure; the plan and the writers share them."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable
from datetime import datetime
from urllib.parse import urljoin, urlsplit

_NOT_SLUG = re.compile(r"[^a-z0-9]+")
_SLUG_MAX = 80
# names Windows reserves for devices, whatever the extension
_RESERVED = frozenset(
    {"con", "prn", "aux", "nul"} | {f"{d}{i}" for d in ("com", "lpt") for i in range(10)}
)


def slugify(text: str) -> str:
    """ASCII, lower case, dashes; never empty, never a path, never a reserved device name."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = _NOT_SLUG.sub("-", ascii_text.lower()).strip("-")[:_SLUG_MAX].strip("-")
    if slug in _RESERVED:
        slug += "-x"
    return slug or "x"


def suffixed(slug: str, key: str) -> str:
    """A slug made distinct by a short hash of what it names."""
    return f"{slug}-{hashlib.sha1(key.encode()).hexdigest()[:8]}"


def source_slug(source: str) -> str:
    """The slug of a source's page before ``assign_slugs`` tells it apart from another's."""
    stem = source.rsplit(".", 1)[0] if "." in source.rsplit("/", 1)[-1] else source
    return slugify(stem)


def assign_slugs(sources: Iterable[str]) -> dict[str, str]:
    """Source path → page slug. Two sources with the same slug: the later (by path) gets a stable
    suffix, so a slug depends on every source, not on the entries a feed happens to show."""
    slugs: dict[str, str] = {}
    used: set[str] = set()
    for source in sorted(sources):
        slug = source_slug(source)
        if slug in used:
            slug = suffixed(slug, source)
        used.add(slug)
        slugs[source] = slug
    return slugs


def absolute_http(href: str | None, base: str | None) -> str | None:
    """``href`` made absolute on ``base``: a plain http(s) URL with a host, else None."""
    if not href:
        return None
    absolute = urljoin(base, href.strip()) if base else href.strip()
    parts = urlsplit(absolute)
    return absolute if parts.scheme in ("http", "https") and parts.netloc else None


def entry_link(url: str | None, slug: str, base_url: str) -> str:
    """The article's own URL, else its page under articles/."""
    return url or f"{base_url}articles/{slug}.html"


def order_key(published: datetime, link: str) -> tuple[float, str]:
    """Newest first, ties by link (the entry id)."""
    return (-published.timestamp(), link)


# folders whose every file a build writes: anything else in them is left from earlier runs
OWNED_FOLDERS = ("articles", "countries", "actors")
