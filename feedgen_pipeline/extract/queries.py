"""The selector lists the HTML extraction asks a page about, compiled once per set of rules."""

from __future__ import annotations

from dataclasses import dataclass

from ..config import Rules, Selector
from ..memo import by_identity
from .css import SelectorList, compile_selectors

# elements that may hold the story
ROOT_CANDIDATES = (
    compile_selectors(
        'article, [itemprop="articleBody"], main, [role="main"], '
        '[class*="article-body" i], [class*="story-body" i], [class*="entry-content" i]'
    ),
)
TIME_ELEMENTS = (compile_selectors("time[datetime], [itemprop='datePublished']"),)
# elements that say they hold a date: their text or attributes are read on pages without one in
# their metadata
DATE_MARKUP = (
    compile_selectors(
        '[itemprop="datePublished"], [itemprop="dateCreated"], abbr[title], '
        '[class*="date" i], [id*="date" i], [class*="publish" i], [class*="posted" i]'
    ),
)
# class names of image captions ("image-caption", "img_cptn"): the story's text leaves them out,
# the lead image's caption is read from them
CAPTION_CLASS = compile_selectors('[class*="caption" i], [class*="cptn" i]')


@dataclass(frozen=True)
class Queries:
    byline_ids: tuple[str, ...]
    byline: tuple[SelectorList, ...]
    dek: tuple[SelectorList, ...]
    removable: tuple[SelectorList, ...]
    """Boilerplate and bylines: removed before the body is read."""
    figure: tuple[SelectorList, ...]
    credit_caption: tuple[SelectorList, ...]
    all: tuple[SelectorList, ...]
    """Every list above, once each: what a page's walk evaluates."""


def _lists(selectors: tuple[Selector, ...]) -> tuple[SelectorList, ...]:
    return tuple(compile_selectors(s.selector) for s in selectors)


@by_identity
def queries_for(rules: Rules) -> Queries:
    """The compiled queries of ``rules``."""
    byline = _lists(rules.byline_selectors)
    dek = _lists(rules.dek_selectors)
    removable = (*_lists(rules.boilerplate), *byline)
    figure = _lists(rules.credit_figure_selectors)
    credit_caption = _lists(rules.credit_caption_selectors)
    every = (
        *ROOT_CANDIDATES,
        *TIME_ELEMENTS,
        *DATE_MARKUP,
        CAPTION_CLASS,
        *dek,
        *removable,
        *figure,
    )
    distinct = {s.css: s for s in (*every, *credit_caption)}
    return Queries(
        tuple(s.id for s in rules.byline_selectors),
        byline,
        dek,
        removable,
        figure,
        credit_caption,
        tuple(distinct.values()),
    )
