"""Ground truth of the development corpus (../shared/corpus/dev), read from its data files.

Each page may have several sources of truth: Readability's expected metadata, Fundus's parse,
Trafilatura's and newspaper4k's evaluation entries, Goose3's expected output, and the hand
labels of the visible page in ``labels.yaml``. They are kept apart so that every figure can be
reported per source, and combined into one reference per field that follows what the page shows.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO.parent / "shared" / "corpus" / "dev"
FUNDUS_EN = REPO.parent / "shared" / "corpus" / "fundus-en"

# Where the sources disagree with the headline the page visibly shows, the page wins. Each entry
# was checked against the page's <h1>; the reason says what the other sources carry instead.
VISIBLE_HEADLINES: dict[str, tuple[str, str]] = {
    "002-guardian": (
        "'What is the sea telling us?': Māori tribes fearful over whale strandings",
        "Readability keeps the columnist's name that <title> appends",
    ),
    "016-independent": (
        "The seven secrets that hotel owners don't want you to know",
        "Readability expects og:title, which drops the <h1>'s first word",
    ),
    "017-breitbart": (
        "'Neutral' Snopes Fact-Checker David Emery: 'Are There Any Un-Angry Trump Supporters?'",
        "Readability keeps the site name that <title> appends",
    ),
    "020-citylab": (
        "Why Neon Is the Ultimate Symbol of the 20th Century",
        "Readability expects og:title; the <h1> (and twitter:title) read differently",
    ),
    "047-cnn": (
        "Democrats to use Social Security against GOP this fall",
        "Goose3 keeps the site name that <title> appends",
    ),
    "061-time": (
        "We Need Geoengineering to Stop Out of Control Warming,"
        " Warns Climate Scientist James Hansen",
        "newspaper4k expects the <title>, which differs from the <h1> (and from JSON-LD)",
    ),
}

_DATE_IN_BYLINE = re.compile(
    r"\d|\b(?:January|February|March|April|May|June|July|August|September|October|November"
    r"|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\b",
    re.IGNORECASE,
)
_BY = re.compile(r"^\s*by\s+", re.IGNORECASE)


@dataclass(frozen=True)
class Truth:
    """What the sources say about one page; absent sources are absent keys."""

    page: str
    headlines: dict[str, str] = field(default_factory=dict)
    bylines: dict[str, tuple[str, ...]] = field(default_factory=dict)
    dates: dict[str, str] = field(default_factory=dict)
    credits: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Accepted credits per source, the expected one first; "" stands for "no credit"."""
    url: str | None = None

    @property
    def headline(self) -> str | None:
        """The visible headline: hand label, reviewed override, else the sources' first."""
        if self.page in VISIBLE_HEADLINES:
            return VISIBLE_HEADLINES[self.page][0]
        for source in ("labels", "fundus", "trafilatura", "newspaper4k", "readability", "goose3"):
            if source in self.headlines:
                return self.headlines[source]
        return None

    @property
    def byline(self) -> tuple[str, ...]:
        for source in ("fundus", "trafilatura", "newspaper4k", "readability"):
            if self.bylines.get(source):
                return self.bylines[source]
        return ()

    @property
    def date(self) -> str | None:
        for source in ("fundus", "newspaper4k", "readability", "trafilatura"):
            if source in self.dates:
                return self.dates[source]
        return None

    @property
    def credit(self) -> tuple[str, ...] | None:
        """Accepted credits of the lead image (hand labels first); None when unknown."""
        for source in ("labels", "fundus"):
            if source in self.credits:
                return self.credits[source]
        return None


def _json(path: Path) -> dict[str, Any]:
    if not path.exists():
        return {}
    data = json.loads(path.read_text("utf-8"))
    return data if isinstance(data, dict) else {}


def _readability_byline(value: str | None) -> tuple[str, ...]:
    """Readability's byline is what it shows, dates included ("by Lucas Nolan22 Dec 2016")."""
    if not value:
        return ()
    text = _DATE_IN_BYLINE.split(_BY.sub("", " ".join(value.split())))[0].strip(" ,|")
    names = [n.strip() for n in re.split(r",|\band\b", text) if n.strip()]
    return tuple(names) if names and all(len(n.split()) >= 2 for n in names) else ()


def _fundus_credit(data: dict[str, Any]) -> tuple[str, ...] | None:
    covers = [i for i in data.get("images", []) if i.get("is_cover")]
    if not covers:
        return None  # Fundus lists no lead image here: unknown, not "no credit"
    authors = [a for a in covers[0].get("authors", []) if a]
    if not authors:
        return ("",)
    return ("/".join(authors), ", ".join(authors), " / ".join(authors))


def load_truth(corpus: Path, labels: dict[str, Any]) -> list[tuple[str, Truth]]:
    """(html file name, truth) for every page of the corpus, in file order."""
    out = []
    for html in sorted(corpus.glob("*.html")):
        page = html.name[: -len(".html")]
        truth = Truth(page)
        r = _json(corpus / f"{page}.expected.json")
        if r:
            _put(truth.headlines, "readability", r.get("title"))
            _put(truth.dates, "readability", r.get("publishedTime"))
            byline = _readability_byline(r.get("byline"))
            if byline:
                truth.bylines["readability"] = byline
        f = _json(corpus / f"{page}.fundus.json")
        if f:
            _put(truth.headlines, "fundus", f.get("title"))
            _put(truth.dates, "fundus", f.get("publishing_date"))
            if f.get("authors"):
                truth.bylines["fundus"] = tuple(f["authors"])
            credit = _fundus_credit(f)
            if credit is not None:
                truth.credits["fundus"] = credit
        t = _json(corpus / f"{page}.trafilatura.json")
        if t:
            _put(truth.headlines, "trafilatura", t.get("title"))
            _put(truth.dates, "trafilatura", t.get("date"))
            if t.get("author"):
                truth.bylines["trafilatura"] = tuple(a.strip() for a in t["author"].split(";"))
        n = _json(corpus / f"{page}.newspaper4k.json")
        if n:
            _put(truth.headlines, "newspaper4k", n.get("title"))
            _put(truth.dates, "newspaper4k", n.get("publish_date"))
            if n.get("authors"):
                truth.bylines["newspaper4k"] = tuple(n["authors"])
        g = _json(corpus / f"{page}.goose3.json").get("expected", {})
        _put(truth.headlines, "goose3", g.get("title") if isinstance(g, dict) else None)
        label = labels.get(page)
        if isinstance(label, dict):
            _put(truth.headlines, "labels", label.get("headline"))
            shown = label.get("image_credit") or ""
            alternatives = tuple(label.get("image_credit_alternatives") or ())
            truth.credits["labels"] = (shown, *alternatives)
        url = next((d.get("url") for d in (f, t, n) if d.get("url")), None)
        out.append((html.name, Truth(**{**truth.__dict__, "url": url})))
    return out


def _put(target: dict[str, str], key: str, value: object) -> None:
    if isinstance(value, str) and value.strip():
        target[key] = value.strip()


def load_cover_credits(corpus: Path = FUNDUS_EN) -> list[tuple[str, tuple[str, ...] | None]]:
    """(html file name, the cover image's credit authors) of every page of a Fundus set: None
    when Fundus marks no cover; an empty tuple when the cover's credit is unknown (Fundus leaves
    its list empty on some pages that show one, so it does not mean "no credit")."""
    out = []
    for html in sorted(corpus.glob("*.html")):
        covers = [
            i
            for i in _json(html.with_suffix(".fundus.json")).get("images", [])
            if i.get("is_cover")
        ]
        authors = tuple(a for a in covers[0].get("authors", []) if a) if covers else None
        out.append((html.name, authors))
    return out


def load_labels(corpus: Path) -> dict[str, Any]:
    path = corpus / "labels.yaml"
    if not path.exists():
        return {}
    data = yaml.safe_load(path.read_text("utf-8"))
    return data if isinstance(data, dict) else {}


def truth_day(value: str) -> tuple[date, datetime | None]:
    """The day a ground-truth date names, and the datetime when it carries a time zone."""
    text = value.strip().replace("Z", "+00:00")
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        parsed = datetime.fromisoformat(text[:10])
    return parsed.date(), (parsed if parsed.tzinfo is not None else None)
