"""Enrichment: a Document → an Article. Pure: the same document and rules give the same Article."""

from __future__ import annotations

import re

from ..config import Rules
from ..config.tagging import ActorEntry
from ..errors import ArticleError
from ..extract.common import lead_summary, sentences
from ..memo import by_identity
from ..model import Article, Document, Evidence
from .actor_tags import tag_actors
from .countries import index_for, tag_countries
from .regions import make_regions
from .sanity import sanitise

# a headline made from the lead sentence is cut at a word to this length
_DERIVED_HEADLINE_CHARS = 110


def enrich(doc: Document, rules: Rules) -> Article:
    """Choose headline and summary, tag countries. Raises ArticleError when there is no text."""
    doc = sanitise(doc, rules)
    evidence = list(doc.evidence)
    text_paragraphs = doc.paragraphs or ((doc.dek,) if doc.dek else ())
    headline = doc.headline
    if not headline:
        if not text_paragraphs:
            raise ArticleError(doc.source, "no headline and no text")
        lead = (sentences(text_paragraphs[0]) or [text_paragraphs[0]])[0]
        headline = lead_summary((lead,), _DERIVED_HEADLINE_CHARS)
        evidence.append(Evidence("headline", "lead-sentence", headline))
    if not text_paragraphs and not doc.description:
        raise ArticleError(doc.source, "no text besides the headline")

    summary = _summary(doc, rules)
    regions = [("headline", headline)]
    if doc.dek or doc.description:
        regions.append(("dek", doc.dek or doc.description or ""))
    regions += [("lead" if i < 2 else "body", p) for i, p in enumerate(doc.paragraphs)]
    if doc.image and doc.image.caption:
        regions.append(("body", doc.image.caption))
    index = index_for(rules)
    keep_upper = index.upper | _upper_names(rules.tagging.actors)
    text_regions = make_regions(regions, keep_upper)
    countries, country_candidates, country_matches = tag_countries(text_regions, rules, index)
    actors, actor_candidates = tag_actors(
        text_regions, country_matches, rules, index.adjectives, doc.url
    )

    return Article(
        id=doc.url or doc.source,
        source=doc.source,
        url=doc.url,
        headline=headline,
        summary=summary,
        paragraphs=doc.paragraphs,
        image=doc.image,
        authors=doc.authors,
        published=doc.published,
        updated=doc.modified or doc.published,
        language=doc.language,
        countries=countries,
        actors=actors,
        evidence=tuple(evidence),
        candidates=(*country_candidates, *actor_candidates),
    )


@by_identity
def _upper_names(actors: tuple[ActorEntry, ...]) -> frozenset[str]:
    """Actor names kept in capitals when an all-capitals text is recased: "NATO", "OPEC"."""
    return frozenset(p for a in actors for p in (a.name, *a.aliases) if p.isupper())


def _summary(doc: Document, rules: Rules) -> str:
    """The page's description, else the dek, else lead sentences; never over max_chars.

    A description of a few words is a site's tagline, not a summary; a byline in front of it is
    dropped; lead sentences come from paragraphs that read as prose, so that labels such as
    "Advertisement" or a menu left in the body never make the summary.
    """
    for candidate in (doc.description, doc.dek):
        candidate = _without_byline(candidate or "", doc.authors)
        if len(candidate.split()) >= _SUMMARY_MIN_WORDS:
            if len(candidate) <= rules.summary_max_chars:
                return candidate
            return lead_summary((candidate,), rules.summary_max_chars)
    prose = tuple(p for p in doc.paragraphs if _PROSE.search(p) and len(p.split()) >= 5)
    return lead_summary(prose or doc.paragraphs, rules.summary_max_chars)


# fewer words than this in a description or dek: a tagline, not a summary
_SUMMARY_MIN_WORDS = 6
_PROSE = re.compile(r"[.!?…][\"”’')\]]*$")
# "By Jane Ann Doe " before the text: up to four capitalised names, not a sentence's first word
_LEADING_BYLINE = re.compile(
    r"^[Bb]y\s+(?:(?!(?:The|A|An|In|On|At|As|It|This|After|When)\b)[A-Z][a-z][\w'’.-]*\s+){1,4}"
)
_CAPS_WORD = re.compile(r"^[A-Z]{2,}\s+(?=[A-Z]{2,})")


def _without_byline(text: str, authors: tuple[str, ...]) -> str:
    """Drop "By Jane Doe" (and an agency in capitals after it) from the start of a summary."""
    text = text.strip()
    for author in authors:
        for prefix in (f"By {author}", f"by {author}", f"BY {author.upper()}"):
            if text.startswith(prefix):
                return _CAPS_WORD.sub("", text[len(prefix) :].lstrip(" ,|–—-"))
    match = _LEADING_BYLINE.match(text)
    return _CAPS_WORD.sub("", text[match.end() :]) if match else text
