"""The lead image of an HTML page: its URL from the metadata, its caption and credit from the
figure that shows it.

The credit the page shows wins over the one in JSON-LD (which is often the agency's bare
name, or belongs to another picture); alt texts are the last resort.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import urlsplit

from bs4 import Tag

from ..config import Rules
from ..model import Image
from .common import clean_credit, clean_text, split_caption_credit
from .jsonld import LdArticle
from .page import Page, ancestor
from .queries import CAPTION_CLASS, Queries

Note = Callable[[str, str, str | None], str | None]
TextOf = Callable[[Tag], str]

# a figure counts as the lead image up to this many paragraphs into the story
_LEAD_PARAGRAPHS = 3
# paragraphs shorter than this are datelines, bylines or labels, not story
_STORY_PARAGRAPH = 80
# text inside a figure, outside its caption, is a credit overlay up to this length
_OVERLAY_CHARS = 80
_KEY = re.compile(r"[A-Za-z0-9]{8,}")
_NOT_CREDIT = re.compile(
    r"^(?:\d+\s*(?:/|of)\s*\d+|enlarge|expand|zoom|play|watch|video|image|photo|gallery|"
    r"view|open|close|share|fullscreen|full screen|caption)\b",
    re.IGNORECASE,
)
_CREDITED_BY_OVERLAY = "figure-overlay"
# lower-case words a credit may hold ("Jane Doe for The Times via Getty Images")
_CREDIT_SMALL_WORDS = frozenset(
    {"for", "via", "of", "and", "the", "by", "de", "da", "del", "van", "von", "photo", "file"}
)


def _looks_like_credit(text: str) -> bool:
    """Names and agencies, not a sentence: no lower-case words but a few small ones."""
    if _NOT_CREDIT.match(text):
        return False
    words = re.findall(r"[^\s/]+", text)
    return all(w[0].isupper() or not w[0].isalpha() or w in _CREDIT_SMALL_WORDS for w in words)


def lead_image(
    page: Page,
    story: Tag,
    ld: LdArticle,
    meta: dict[str, str],
    url: str | None,
    rules: Rules,
    queries: Queries,
    note: Note,
    text_of: TextOf,
) -> Image | None:
    """The lead image with its caption and credit."""
    src = ld.image_url or meta.get("og:image") or meta.get("twitter:image")
    figure = _lead_figure(page, story, src, queries)
    if src is None and figure is not None:
        img = page.first("img", figure)
        src = _img_src(img) if isinstance(img, Tag) else None
    image_url = _absolute(src, url)
    caption, credit = (
        _figure_caption_credit(page, figure, rules, queries, note, text_of)
        if figure
        else (None, None)
    )
    caption = caption or clean_text(ld.image_caption) or None
    credit = credit or note("image_credit", "json-ld", clean_credit(ld.image_credit or ""))
    if credit is None:
        img = page.first("img", figure) if figure is not None else _img_showing(page, src)
        alts = (
            ld.image_caption,
            meta.get("og:image:alt"),
            meta.get("twitter:image:alt"),
            img.get("alt") if isinstance(img, Tag) else None,
        )
        for alt in alts:
            if isinstance(alt, str) and alt.strip():
                rest, found, rule = split_caption_credit(alt, rules.credit_caption_patterns)
                if found and rest:  # after a description: "Image: a house…" is no credit
                    credit = note("image_credit", f"alt/{rule}", found)
                    break
    if image_url is None and caption is None and credit is None:
        return None
    return Image(image_url, caption, credit)


def _absolute(href: str | None, base: str | None) -> str | None:
    from urllib.parse import urljoin

    if not href:
        return None
    absolute = urljoin(base, href.strip()) if base else href.strip()
    parts = urlsplit(absolute)
    return absolute if parts.scheme in ("http", "https") and parts.netloc else None


def _img_src(img: Tag) -> str | None:
    for attr in ("src", "data-src", "data-original", "data-lazy-src"):
        value = img.get(attr)
        if isinstance(value, str) and value.strip() and not value.startswith("data:"):
            return value.strip()
    return None


def _keys(url: str) -> set[str]:
    """Long alphanumeric runs of a URL's file name: they survive resizing and cropping."""
    if url.startswith("data:"):
        return set()
    name = urlsplit(url).path.rsplit("/", 1)[-1]
    return set(_KEY.findall(name))


def _img_showing(page: Page, src: str | None) -> Tag | None:
    """An <img> anywhere on the page that shows ``src`` (for its alt text)."""
    wanted = _keys(src) if src else set()
    if not wanted:
        return None
    for img in page.tags("img"):
        value = _img_src(img)
        if value and wanted & _keys(value):
            return img
    return None


def _image_keys(page: Page, container: Tag) -> set[str]:
    keys: set[str] = set()
    for img in page.tags_of(("img", "source"), container)[:4]:
        for attr in ("src", "data-src", "data-original", "data-lazy-src", "srcset", "data-srcset"):
            value = img.get(attr)
            if isinstance(value, str):
                for part in value.split(","):
                    keys |= _keys(part.strip().split(" ")[0])
    for attr in ("data-image", "data-src"):
        value = container.get(attr)
        if isinstance(value, str):
            keys |= _keys(value)
    return keys


def _figures(page: Page, queries: Queries) -> list[Tag]:
    """Image holders in document order, outside navigation, footers and sidebars."""
    out: list[Tag] = []
    seen: set[int] = set()
    for element in page.select(queries.figure, page.soup):
        if element.name != "figure" and ancestor(element, ("figure",)) is not None:
            continue  # a caption inside a figure: the figure is the holder
        holder = (
            element if element.name == "figure" or page.first("img", element) else element.parent
        )
        if not isinstance(holder, Tag) or id(holder) in seen:
            continue
        if ancestor(holder, ("nav", "footer", "aside")) is not None:
            continue
        seen.add(id(holder))
        out.append(holder)
    return out


def _lead_figure(page: Page, story: Tag, src: str | None, queries: Queries) -> Tag | None:
    """The holder that shows ``src``; else the first one before the story's third paragraph."""
    figures = _figures(page, queries)
    if not figures:
        return None
    if src:
        wanted = _keys(src)
        showing = [f for f in figures if wanted & _image_keys(page, f)]
        # the same picture may be shown twice (a hero without caption, then a captioned one)
        for figure in showing:
            if _caption_element(page, figure) is not None:
                return figure
        if showing:
            return showing[0]
    limit = _story_limit(page, story)
    first = figures[0]  # in document order: if the first is past the limit, all are
    return first if limit is None or page.position(first) < page.position(limit) else None


def _story_limit(page: Page, story: Tag) -> Tag | None:
    """The story's paragraph past which a figure is no longer the lead."""
    count = 0
    for p in page.tags("p", story):
        if len(p.get_text()) >= _STORY_PARAGRAPH:
            count += 1
            if count == _LEAD_PARAGRAPHS:
                return p
    return None


def _figure_caption_credit(
    page: Page, figure: Tag, rules: Rules, queries: Queries, note: Note, text_of: TextOf
) -> tuple[str | None, str | None]:
    """(caption, credit) of a lead image holder."""
    credit = None
    for selector, selectors in zip(
        rules.credit_caption_selectors, queries.credit_caption, strict=True
    ):
        element = figure if page.matches(selectors, figure) else None
        element = element or page.select_one(selectors, figure)
        if element is None:
            continue
        value = element.get("data-credit")
        text = value if isinstance(value, str) else text_of(element)
        found = clean_credit(text) if len(text) <= 200 else ""
        if found:
            if not isinstance(value, str):
                page.remove(element, decompose=False)  # not part of the caption text
            credit = note("image_credit", selector.id, found)
            break
    caption_element = _caption_element(page, figure)
    caption = text_of(caption_element) if caption_element is not None else ""
    if caption:
        caption, in_caption, rule = split_caption_credit(caption, rules.credit_caption_patterns)
        credit = credit or note("image_credit", rule or "", in_caption)
    if credit is None and figure.name == "figure":
        credit = _overlay_credit(figure, caption_element, note, text_of)
    return caption or None, credit


def _caption_element(page: Page, figure: Tag) -> Tag | None:
    caption = page.first("figcaption", figure)
    if isinstance(caption, Tag):
        return caption
    classes = " ".join(figure.get_attribute_list("class") or []).lower()
    if "caption" in classes:
        return figure
    found = page.select_one(CAPTION_CLASS, figure)
    return found if isinstance(found, Tag) else None


def _overlay_credit(figure: Tag, caption: Tag | None, note: Note, text_of: TextOf) -> str | None:
    """Short text laid over the picture, outside its caption: the credit, as on many sites."""
    for element in figure.find_all(["span", "div", "p", "small"]):
        if element.find(["span", "div", "p", "small", "img"]) is not None:
            continue  # leaves only
        if caption is not None and (element is caption or caption in element.parents):
            continue
        text = text_of(element)
        if 1 < len(text) <= _OVERLAY_CHARS and _looks_like_credit(text):
            return note("image_credit", _CREDITED_BY_OVERLAY, clean_credit(text))
    return None
