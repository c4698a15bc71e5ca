"""Figures for the full list of countries an article names (``_enrichment.countries``), on the
sets that do not label countries as such: CoNLL-2003 (conll-dev, conll-train) and fundus-en.

- CoNLL labels places (``loc``), nationalities and other names (``misc``), people and
  organisations as surface strings. Recall: the documents' ``loc`` strings that are a country's
  name in pycountry (exact, case-insensitive), found among the countries we list. Datelines
  ("SINGAPORE 1996-08-29") count, though dev/labels.yaml leaves them out. Precision:
  a country we list is right when one of the phrases it was found by is, or is inside, a ``loc``
  or ``misc`` string of the document ("Germany", "German", "ex-England"); wrong when none is;
  neither when its phrases are only inside an organisation's name ("Bank of Japan"), as
  dev/labels.yaml counts those optional.
- fundus-en has no country labels, only Fundus' ``topics``: a topic that is a country's name in
  pycountry ("Ireland", "USA") says the page is about that country. Recall only, of a handful.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from feedgen_pipeline.model import Article


@dataclass(frozen=True)
class NamedDoc:
    path: Path
    places: frozenset[str] = frozenset()
    """Country codes the labels name (conll: loc strings; fundus: topics)."""
    support: tuple[str, ...] = ()
    """Strings that make a country phrase right (conll: loc + misc)."""
    neutral: tuple[str, ...] = ()
    """Strings inside which a country phrase counts neither way (conll: org)."""


@cache
def pycountry_names(alpha_3: bool = False) -> dict[str, str]:
    """Case-folded pycountry name, common name and official name (and with ``alpha_3`` the
    three-letter code: a topic "USA", never a text's "Col." or "Sen.") → alpha-2."""
    import pycountry

    attrs = ("name", "official_name", "common_name", *(("alpha_3",) if alpha_3 else ()))
    names: dict[str, str] = {}
    for c in pycountry.countries:
        for attr in attrs:
            value = getattr(c, attr, None)
            if value:
                names.setdefault(value.casefold(), c.alpha_2)
    return names


def conll_named(folder: Path, sample: int | None = None) -> list[NamedDoc]:
    labels = json.loads((folder / "labels.json").read_text("utf-8"))
    names = pycountry_names()
    docs = [
        NamedDoc(
            folder / f"{doc_id}.txt",
            frozenset(names[s.casefold()] for s in label["loc"] if s.casefold() in names),
            tuple(label["loc"] + label["misc"]),
            tuple(label["org"]),
        )
        for doc_id, label in sorted(labels.items())
    ]
    return docs[:sample] if sample else docs


def fundus_named(folder: Path) -> list[NamedDoc]:
    names = pycountry_names(alpha_3=True)
    docs = []
    for truth in sorted(folder.glob("*.fundus.json")):
        topics = json.loads(truth.read_text("utf-8")).get("topics") or ()
        page = truth.with_name(truth.name.removesuffix(".fundus.json") + ".html")
        codes = frozenset(names[t.casefold()] for t in topics if t.casefold() in names)
        docs.append(NamedDoc(page, codes))
    return docs


def words(text: str) -> list[str]:
    return re.findall(r"\w+", text.casefold())


def contains(long: list[str], short: list[str]) -> bool:
    """Whether the words ``short`` occur in ``long``, in order and side by side."""
    n = len(short)
    return n > 0 and any(long[i : i + n] == short for i in range(len(long) - n + 1))


def _inside(phrase: str, strings: Sequence[str]) -> bool:
    return any(contains(words(s), words(phrase)) for s in strings)


def tagged_codes(article: Article) -> list[str]:
    """The countries that are the article's tags."""
    return [c.code for c in article.tagged_countries]


def named_codes(article: Article) -> list[str]:
    """Every country the article names (``_enrichment.countries``)."""
    return [c.code for c in article.countries]


def _phrases(article: Article, code: str) -> list[str]:
    return [
        m.text
        for c in article.candidates
        if c.kind == "country" and c.key == code
        for m in c.mentions
        if m.weight
    ]


def score_named(
    docs: Sequence[NamedDoc],
    articles: Sequence[Article],
    listed: Callable[[Article], list[str]],
) -> dict[str, float]:
    """Recall of the labelled countries among ``listed``; precision by support (conll only)."""
    found = wanted = right = wrong = 0
    for doc, article in zip(docs, articles, strict=True):
        ours = listed(article)
        wanted += len(doc.places)
        found += len(doc.places & set(ours))
        if not doc.support:
            continue
        for code in ours:
            phrases = _phrases(article, code)
            if any(_inside(p, doc.support) for p in phrases):
                right += 1
            elif not all(_inside(p, doc.neutral) for p in phrases):
                wrong += 1
    precision = {"p": right / (right + wrong)} if right + wrong else {}
    return {
        "r": found / wanted if wanted else 0.0,
        **precision,
        "labelled": float(wanted),
        "n": float(len(docs)),
    }
