"""The names-only country taggers that bench/eval_tagging.py compares ours with: pycountry's
names as one regex, and geotext (a benchmark extra, left out when it is not installed)."""

from __future__ import annotations

import re
from collections.abc import Callable


def pycountry_matcher() -> Callable[[str], list[str]]:
    import pycountry

    names: dict[str, str] = {}
    for c in pycountry.countries:
        for attr in ("name", "official_name", "common_name"):
            value = getattr(c, attr, None)
            if value:
                names.setdefault(value, c.alpha_2)
    regex = re.compile(
        r"\b(?:" + "|".join(map(re.escape, sorted(names, key=len, reverse=True))) + r")\b"
    )

    def tag(text: str) -> list[str]:
        counts: dict[str, int] = {}
        for m in regex.finditer(text):
            counts[names[m.group()]] = counts.get(names[m.group()], 0) + 1
        return sorted(counts, key=lambda c: -counts[c])

    return tag


def geotext_matcher() -> Callable[[str], list[str]] | None:
    try:
        from geotext import GeoText
    except ImportError:
        return None

    def tag(text: str) -> list[str]:
        mentions = GeoText(text).country_mentions
        return sorted(mentions, key=lambda c: -mentions[c])

    return tag
