"""Extract a Document from an HTML page: metadata first, then the visible article.

Each field follows a cascade (JSON-LD, then Open Graph and other meta, then the page itself);
the rule that produced it is kept as Evidence.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable
from datetime import datetime

from bs4 import Tag

from ..config import Rules
from ..model import Document, Evidence
from ..naming import absolute_http
from .body import article_root
from .body import paragraphs as body_paragraphs
from .bylines import find_authors, is_site_name, site_names
from .common import clean_text
from .dates import modified_date, published_date
from .image import body_credit, lead_image
from .jsonld import LdArticle, find_article, parse_blocks
from .page import Page
from .queries import Queries, queries_for
from .tree import ancestor, parse_html
from .visible import visible_text as _text


def extract_html(source: str, text: str, rules: Rules, served: datetime | None = None) -> Document:
    """Parse an HTML page (already decoded) into a Document. ``served``: when a fetched page
    was sent, what its relative dates count from."""
    soup, tags = parse_html(text)
    queries = queries_for(rules)
    page = Page(soup, queries.all, tags)
    evidence: list[Evidence] = []

    def note(field: str, rule: str, value: str | None) -> str | None:
        if value:
            evidence.append(Evidence(field, rule, value))
        return value or None

    scripts = [s for s in page.tags("script") if s.get("type") == "application/ld+json"]
    ld = find_article(parse_blocks([s.string or "" for s in scripts])) or LdArticle()
    meta = _meta(page)
    url = absolute_http(_link_href(page, "canonical") or meta.get("og:url") or ld.url, None)
    note("url", "canonical", url)
    site = meta.get("og:site_name") or ld.publisher or meta.get("application-name")
    root = article_root(page)
    # headline, image, dek and byline may sit around the body, inside the same <article>
    story = ancestor(root, ("article",)) or root

    sites = site_names(site, ld.publisher, url, _title(page))
    headline = _headline(page, story, ld, meta, site, sites, rules, note)
    description = (
        note("description", "json-ld", clean_text(ld.description))
        or note("description", "meta description", clean_text(meta.get("description")))
        or note("description", "og:description", clean_text(meta.get("og:description")))
        or note("description", "twitter:description", clean_text(meta.get("twitter:description")))
    )

    def heading() -> Tag | None:
        return _heading(page, story, headline)

    byline = find_authors(
        page,
        story,
        ld,
        meta,
        site_names(site, ld.publisher, url, _title(page)),
        heading,
        rules,
        queries,
    )
    if byline:
        note("authors", byline.rule, ", ".join(byline.names))
    language = _language(page, meta, ld)

    us_english = (language or "").lower() in ("en", "en-us")
    dated = published_date(page, story, ld, meta, url, heading, rules, us_english, served)
    if dated:
        note("published", dated.rule, dated.text)
    published = dated.value if dated else None
    modified = modified_date(ld, meta)

    image = lead_image(page, story, ld, meta, url, rules, queries, note)
    dek = _dek(page, story, rules, queries, note)
    _remove_boilerplate(page, root, queries)
    paragraphs = body_paragraphs(root, headline, dek, rules)
    image, paragraphs = body_credit(image, paragraphs, rules, note)
    return Document(
        source=source,
        kind="html",
        headline=headline,
        dek=dek,
        description=description,
        paragraphs=paragraphs,
        image=image,
        authors=byline.names if byline else (),
        published=published,
        modified=modified,
        url=url,
        language=language,
        evidence=tuple(evidence),
    )


def _remove_boilerplate(page: Page, root: Tag, queries: Queries) -> None:
    """Remove what the boilerplate rules name under ``root``, but never an element that holds
    most of its paragraphs: a theme that classes the story's own container "share" (it shows
    share buttons) does not make the story boilerplate."""
    starts: list[int] | None = None
    for element in page.select(queries.removable, root):
        if not page.within(element, root):
            continue  # inside one removed already (``decomposed`` would search its subtree)
        if starts is None:
            starts = [page.position(p) for p in page.tags("p", root)]
        first, end = page.span(element)
        if (bisect_right(starts, end) - bisect_right(starts, first)) * 2 > len(starts):
            continue
        page.remove(element)


def _headline(
    page: Page,
    story: Tag,
    ld: LdArticle,
    meta: dict[str, str],
    site: str | None,
    sites: frozenset[str],
    rules: Rules,
    note: Callable[[str, str, str | None], str | None],
) -> str | None:
    """The headline the page shows: the <h1> that the metadata's titles confirm, else the
    metadata (JSON-LD, Open Graph, Twitter), else the story's <h1>, else <title>, else any <h1>.

    Metadata titles are often written for search or sharing and differ from the visible
    headline; an <h1> is trusted only when most of its words are in one of them, which keeps
    logos, log-in boxes and slideshow captions out. An <h1> that shows the site's name is a
    logo: on a page whose only <h1>s are, the <h2>s stand in for them.
    """
    title = _title(page)
    metas = [
        (rule, text)
        for rule, text in (
            ("json-ld", _strip_site(ld.headline, site, ())),
            ("og:title", _strip_site(meta.get("og:title"), site, ())),
            ("twitter:title", _strip_site(meta.get("twitter:title"), site, ())),
            ("title", _strip_site(title, site, rules.title_separators)),
        )
        if text
    ]

    def shown(heading: Tag | None) -> str:
        text = _text(heading) if heading is not None else ""
        return "" if is_site_name(text, sites) else text

    h1s = [text for text in (shown(h) for h in page.tags("h1")[:20]) if text]
    if not h1s:
        h1s = [text for text in (shown(h) for h in page.tags("h2")[:20]) if text]
    confirmed = _confirmed_h1(h1s, [text for _, text in metas])
    if confirmed:
        # named after the metadata that says the same, so that --explain stays stable
        rule = next((rule for rule, text in metas if text == confirmed), "h1")
        return note("headline", rule, confirmed)
    for rule, text in metas:
        if rule == "title":
            break  # a <title> is written for search results: the story's own <h1> comes first
        if not text.endswith(("...", "…")):  # cut short for sharing; a later source is whole
            return note("headline", rule, text)
    return (
        note("headline", "h1", shown(page.first("h1", story)))
        or next((note("headline", rule, text) for rule, text in reversed(metas)), None)
        or note("headline", "h1", _text(h1) if (h1 := page.first("h1")) else None)
    )


_WORD = re.compile(r"\w+")
# share of an <h1>'s words that a metadata title must contain for the <h1> to be the headline
_H1_CONFIRMED = 0.6


def _confirmed_h1(h1s: list[str], titles: list[str]) -> str | None:
    """The first <h1> whose words are mostly found in one of the metadata titles."""
    title_words = [set(_WORD.findall(t.casefold())) for t in titles]
    best, best_share = None, _H1_CONFIRMED
    for h1 in h1s:
        words = set(_WORD.findall(h1.casefold()))
        if not words or (len(words) < 3 and h1 not in titles):
            continue  # an <h1> of punctuation only confirms nothing
        share = max((len(words & t) / len(words) for t in title_words), default=0.0)
        if share > best_share or (best is None and share >= best_share):
            best, best_share = h1, share
    return best


def _title(page: Page) -> str | None:
    title = page.first("title")
    return _text(title) if title else None


def _meta(page: Page) -> dict[str, str]:
    """First value of each <meta name|property|itemprop>, keys lower-cased."""
    out: dict[str, str] = {}
    for tag in page.tags("meta"):
        key = tag.get("property") or tag.get("name") or tag.get("itemprop")
        value = tag.get("content")
        if isinstance(key, str) and isinstance(value, str) and value.strip():
            out.setdefault(key.strip().lower(), value.strip())
    return out


def _link_href(page: Page, rel: str) -> str | None:
    for link in page.tags("link"):
        if link.get("href") is None:
            continue
        rels = link.get("rel")
        if isinstance(rels, str) and rel in rels.lower().split():
            href = link["href"]
            return href if isinstance(href, str) else None
    return None


def _strip_site(title: str | None, site: str | None, separators: tuple[str, ...]) -> str | None:
    """Remove a site name before or after a separator; with ``separators``, also guess one."""
    title = clean_text(title)
    if not title:
        return None
    for sep in (" | ", " - ", " – ", " — ", " :: ", " · ", *separators):
        if site and title.endswith(sep + site):
            return title[: -len(sep + site)].strip() or title
        if site and title.startswith(site + sep):
            return title[len(site + sep) :].strip() or title
    for sep in separators:
        if sep in title:
            head, tail = title.rsplit(sep, 1)
            if len(tail) <= 40 and len(tail) * 2 < len(head):
                return head.strip()
    return title


_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")


def _heading(page: Page, story: Tag, headline: str | None) -> Tag | None:
    """The heading that shows the headline (whole, else within its text), else the story's
    first <h1>, else the page's."""
    if headline:
        headings = [(h, _text(h)) for h in page.tags_of(_HEADINGS, page.soup)]
        shown = next((h for h, text in headings if text == headline), None) or next(
            (
                h
                for h, text in headings
                if len(text) >= 10 and (text in headline or headline in text)
            ),
            None,
        )
        if shown is not None:
            return shown
    h1s = page.tags("h1")
    return page.first("h1", story) or (h1s[0] if h1s else None)


def _language(page: Page, meta: dict[str, str], ld: LdArticle) -> str | None:
    html = page.first("html")
    value = (
        (html.get("lang") if html else None)
        or meta.get("og:locale")
        or ld.language
        or meta.get("content-language")
    )
    if not isinstance(value, str) or not value.strip():
        return None
    return value.strip().replace("_", "-")


def _dek(
    page: Page,
    root: Tag,
    rules: Rules,
    queries: Queries,
    note: Callable[[str, str, str | None], str | None],
) -> str | None:
    for rule, selectors in zip(rules.dek_selectors, queries.dek, strict=True):
        element = page.select_one(selectors, root)
        if element is not None:
            text = _text(element)
            if text and len(text) <= rules.dek_max_chars:
                page.remove(element)
                return note("dek", rule.id, text)
    return None
