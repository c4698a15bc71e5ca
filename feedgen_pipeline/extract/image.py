"""The lead image of an HTML page: its URL from the metadata, its caption and credit from the
figure that shows it.

Credits are read with the rules' credit grammar (``credits.py``): first a credit element in the
figure (with what follows it in the caption: "Photo by Jane Doe / Agency"), then the caption's
text, then words laid over the picture; then JSON-LD's credit, and last the alt and title texts.
The credit the page shows wins over JSON-LD's (often the agency's bare name, or another
picture's).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from urllib.parse import urlsplit

from bs4 import Tag

from ..config import Rules
from ..model import Image
from ..naming import absolute_http
from .common import clean_text
from .credits import Reading, credit_line, read_credit
from .css import SelectorList
from .jsonld import LdArticle
from .page import Page
from .queries import CAPTION_CLASS, Queries
from .tree import ancestor
from .visible import visible_lines, visible_text

Note = Callable[[str, str, str | None], str | None]

# a figure counts as the lead image up to this many paragraphs into the story
_LEAD_PARAGRAPHS = 3
# paragraphs shorter than this are datelines, bylines or labels, not story
_STORY_PARAGRAPH = 80
# text inside a figure, outside its caption, is a credit overlay up to this length
_OVERLAY_CHARS = 80
# a credit element holds at most this much text; so many of a selector's elements are tried
_ELEMENT_CHARS = 200
_ELEMENTS_TRIED = 3
# how far above a caption its picture's holder may be, and how many tags that holds at most;
# how far above a bare picture the text after it may be, and how much of it
_HOLDER_LEVELS = 3
_HOLDER_TAGS = 80
_BARE_CHARS = 300
_BARE_LINES = 3
# the story's last paragraphs, where a credit line after the body may be
_AFTER_BODY = 2
_KEY = re.compile(r"[A-Za-z0-9]{8,}")
# what a lazy page shows until its script loads the picture
_PLACEHOLDER = re.compile(
    r"(?:blank|spacer|pixel|transparent|placeholder|1x1)[^/]*\.(?:gif|png)$", re.IGNORECASE
)
# what continues a credit element in its caption: "Photo by Jane Doe / Agency", "… via Agency"
_CONTINUED = re.compile(r"\s*(?:[/|]|via\s|for\s)")
_PICTURES = ("img", "picture", "source")


def lead_image(
    page: Page,
    story: Tag,
    ld: LdArticle,
    meta: dict[str, str],
    url: str | None,
    rules: Rules,
    queries: Queries,
    note: Note,
) -> Image | None:
    """The lead image with its caption and credit."""
    src = ld.image_url or meta.get("og:image") or meta.get("twitter:image")
    figure = _lead_figure(page, story, src, queries)
    if src is None and figure is not None:
        img = page.first("img", figure)
        src = _img_src(img) if isinstance(img, Tag) else None
    image_url = absolute_http(src, url)
    img = page.first("img", figure) if figure is not None else _img_showing(page, src)
    if figure is not None:
        caption, credit = _figure_caption_credit(page, figure, rules, queries, note)
    else:
        caption, credit = _bare_caption_credit(img, rules, note)
    caption = caption or clean_text(ld.image_caption) or None
    if credit is None and ld.image_credit:
        found = read_credit(ld.image_credit, "element", rules.credit)
        credit = note("image_credit", "json-ld", found.credit if found else None)
    if credit is None:
        alts = (
            ld.image_caption,
            meta.get("og:image:alt"),
            meta.get("twitter:image:alt"),
            *((img.get("alt"), img.get("title")) if isinstance(img, Tag) else ()),
        )
        for alt in alts:
            found = read_credit(alt, "alt", rules.credit) if isinstance(alt, str) else None
            if found:
                credit = note("image_credit", f"alt/{found.place}", found.credit)
                break
    if image_url is None and caption is None and credit is None:
        return None
    return Image(image_url, caption, credit)


def body_credit(
    image: Image | None, paragraphs: tuple[str, ...], rules: Rules, note: Note
) -> tuple[Image | None, tuple[str, ...]]:
    """A credit line at the end of the story ("Main image credit: Agency") is the lead image's
    when nothing else gave one; it leaves the body."""
    if image is not None and image.credit is not None:
        return image, paragraphs
    start = max(0, len(paragraphs) - _AFTER_BODY)
    found = credit_line(paragraphs[start:], "after-body", rules.credit)
    if found is None:
        return image, paragraphs
    index, reading = found
    note("image_credit", reading.place, reading.credit)
    rest = paragraphs[: start + index] + paragraphs[start + index + 1 :]
    if image is None:
        return Image(None, None, reading.credit), rest
    return replace(image, credit=reading.credit), rest


def _img_src(img: Tag) -> str | None:
    for attr in ("src", "data-src", "data-original", "data-lazy-src"):
        value = img.get(attr)
        if not isinstance(value, str) or not value.strip() or value.startswith("data:"):
            continue
        if not _PLACEHOLDER.search(value.strip()):
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
        holder = element if element.name == "figure" else _holder(page, element)
        if holder is None or id(holder) in seen:
            continue
        if ancestor(holder, ("nav", "footer", "aside")) is not None:
            continue
        seen.add(id(holder))
        out.append(holder)
    # a wrapper whose class says "caption" may hold a captioned figure: the figure is the holder
    out.sort(key=page.position)
    return [holder for i, holder in enumerate(out) if not _holds_a_figure(page, out, i)]


def _holds_a_figure(page: Page, holders: list[Tag], index: int) -> bool:
    """Whether a captioned <figure> is among the holders inside ``holders[index]`` (those come
    right after it in document order)."""
    outer = holders[index]
    for inner in holders[index + 1 :]:
        if not page.within(inner, outer):
            return False
        if inner.name == "figure" and _caption_element(page, inner) is not None:
            return True
    return False


def _holder(page: Page, caption: Tag) -> Tag | None:
    """What holds a caption-like element's picture: the element itself when it has a picture
    (and text: "no-caption" wrappers hold none); else the nearest small ancestor with a picture
    (a caption may sit beside the picture's own box); else its parent."""
    if page.tags_of(_PICTURES, caption):
        return caption if visible_text(caption) else None
    node = caption.parent
    for _ in range(_HOLDER_LEVELS):
        if not isinstance(node, Tag):
            break
        first, last = page.span(node)
        if last - first > _HOLDER_TAGS:  # a box too large to be one picture's
            break
        if page.tags_of(_PICTURES, node):
            return node
        node = node.parent
    return caption.parent if isinstance(caption.parent, Tag) else None


def _lead_figure(page: Page, story: Tag, src: str | None, queries: Queries) -> Tag | None:
    """The holder that shows ``src`` before the story's third paragraph; else the first holder
    there with a picture (the story leads with it, maybe a video, whatever the metadata's
    picture); else one that shows ``src`` further on; else the first before that paragraph."""
    limit = _story_limit(page, story)
    end = page.position(limit) if limit is not None else None
    figures = _figures(page, queries)
    leading = [f for f in figures if end is None or page.position(f) < end]
    shown = _showing(page, leading, src)
    if shown is not None:
        return shown
    pictured = next((f for f in leading if page.tags_of(_PICTURES, f)), None)
    return pictured or _showing(page, figures, src) or (leading[0] if leading else None)


def _showing(page: Page, figures: list[Tag], src: str | None) -> Tag | None:
    """The holder that shows ``src``: a captioned one first (the same picture may be shown
    twice, a hero without caption, then a captioned one)."""
    wanted = _keys(src) if src else set()
    showing = [f for f in figures if wanted & _image_keys(page, f)] if wanted else []
    captioned = (f for f in showing if _caption_element(page, f) is not None)
    return next(captioned, showing[0] if showing else None)


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
    page: Page, figure: Tag, rules: Rules, queries: Queries, note: Note
) -> tuple[str | None, str | None]:
    """(caption, credit) of a lead image holder."""
    caption_element = _caption_element(page, figure)
    caption = visible_lines(caption_element) if caption_element is not None else ""
    for selector, selectors in zip(
        rules.credit_caption_selectors, queries.credit_caption, strict=True
    ):
        for element in _credit_elements(page, figure, selectors):
            value = element.get("data-credit")
            if isinstance(value, str):
                found = read_credit(value, "element", rules.credit)
            else:
                found, caption = _element_credit(visible_text(element), caption, rules)
                if found:
                    page.remove(element, decompose=False)  # not story text
            if found:
                return clean_text(caption) or None, note("image_credit", selector.id, found.credit)
    found = read_credit(caption, "caption", rules.credit) if caption else None
    if found:
        return _noted(found, note)
    credit = None
    if figure.name == "figure":
        credit = _overlay_credit(page, figure, caption_element, rules, queries, note)
    return clean_text(caption) or None, credit


def _credit_elements(page: Page, figure: Tag, selectors: SelectorList) -> list[Tag]:
    """The holder's first few elements a credit selector matches (the first may be the whole
    caption, classed "credit")."""
    found = [figure] if page.matches(selectors, figure) else []
    return found + page.select((selectors,), figure)[:_ELEMENTS_TRIED]


def _noted(found: Reading, note: Note) -> tuple[str | None, str | None]:
    """(caption, credit) of a caption's reading, the credit noted."""
    return clean_text(found.rest) or None, note("image_credit", found.place, found.credit)


def _is_byline(page: Page, element: Tag, queries: Queries) -> bool:
    """Unmarked text in a figure that is the story's byline names the writer, not the
    picture's maker (an element classed "credit" says what it is)."""
    return any(page.matches(selectors, element) for selectors in queries.byline)


def _element_credit(text: str, caption: str, rules: Rules) -> tuple[Reading | None, str]:
    """(the credit of a credit element, the caption without it). Inside the caption, what
    follows the element after a slash, a pipe or "via" goes on with the credit."""
    if not text or len(text) > _ELEMENT_CHARS:
        return None, caption
    flat = clean_text(caption)
    at = flat.rfind(text)
    if at < 0:
        return read_credit(text, "element", rules.credit), caption
    after = at + len(text)
    if _CONTINUED.match(flat, after):
        found = read_credit(flat[at:], "element", rules.credit)
        if found:
            return found, flat[:at]
    found = read_credit(text, "element", rules.credit)
    return found, (f"{flat[:at]} {flat[after:]}" if found else caption)


def _caption_element(page: Page, figure: Tag) -> Tag | None:
    caption = page.first("figcaption", figure)
    if isinstance(caption, Tag):
        return caption
    if CAPTION_CLASS.match(figure):
        return figure
    # the first with text: a class may say there is none ("withoutCaption")
    for found in page.select((CAPTION_CLASS,), figure):
        if visible_text(found):
            return found
    return None


def _bare_caption_credit(
    img: Tag | None, rules: Rules, note: Note
) -> tuple[str | None, str | None]:
    """(caption, credit) of a picture with no figure or caption markup: the few short lines of
    the elements right after it ("A caption", then "Agency"), at the nearest level that has any."""
    branch = img
    for _ in range(_HOLDER_LEVELS):
        if branch is None:
            break
        siblings = (s for s in branch.next_siblings if isinstance(s, Tag))
        texts = [text for text in map(visible_lines, siblings) if text]
        if texts:
            lines: list[str] = []
            for text in texts:
                more = [*lines, text]
                if len("\n".join(more)) > _BARE_CHARS or "\n".join(more).count("\n") >= _BARE_LINES:
                    break
                lines = more
            found = read_credit("\n".join(lines), "caption", rules.credit) if lines else None
            return _noted(found, note) if found else (None, None)
        branch = branch.parent if isinstance(branch.parent, Tag) else None
    return None, None


def _overlay_credit(
    page: Page, figure: Tag, caption: Tag | None, rules: Rules, queries: Queries, note: Note
) -> str | None:
    """Short text laid over the picture, outside its caption: the credit, as on many sites."""
    for element in figure.find_all(["span", "div", "p", "small"]):
        if element.find(["span", "div", "p", "small", "img"]) is not None:
            continue  # leaves only
        if caption is not None and (element is caption or caption in element.parents):
            continue
        if _is_byline(page, element, queries):
            continue
        text = visible_text(element)
        found = read_credit(text, "overlay", rules.credit) if len(text) <= _OVERLAY_CHARS else None
        if found:
            return note("image_credit", found.place, found.credit)
    return None
