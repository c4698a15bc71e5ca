"""Small pure helpers shared by the HTML and text extractors."""

from __future__ import annotations

import html
import re

_SPACE = re.compile(r"\s+")
_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"”’')\]]*\s+(?=[\"“‘(\[]?[A-Z0-9])")
# Invalid in XML 1.0: removed here so that no writer ever meets them.
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff\ud800-\udfff]")


def clean_text(text: str | None) -> str:
    """Collapse white space, drop characters XML cannot carry; keep typography as it is."""
    if not text:
        return ""
    return _SPACE.sub(" ", _XML_INVALID.sub("", text)).strip()


# an HTML tag or comment: "<p>", "</a>", "<br/>", '<img src="x">'; never "<5%" or "a < b"
_TAG = re.compile(r"<!--.*?-->|</?([A-Za-z][A-Za-z0-9-]*)(?:\s[^<>]*)?/?>", re.DOTALL)
# inline elements join the text around them; any other tag separates words
_INLINE = re.compile(
    r"a|abbr|b|bdi|bdo|cite|code|em|font|i|kbd|mark|q|s|small|span|strong|sub|sup|u"
)
_ENTITY = re.compile(r"&(?:#\d+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);")


def plain_text(text: str | None) -> str:
    """Text with no markup: ``clean_text`` of it once its tags are removed and its character
    references resolved. A description may carry markup as it is, or escaped once or twice
    ("&lt;p&gt;Here&amp;#x27;s …&lt;/p&gt;"): each round resolves one level of escaping."""
    if not text:
        return ""
    for _ in range(3):
        text = _TAG.sub(
            lambda m: "" if _INLINE.fullmatch((m.group(1) or "").lower()) else " ", text
        )
        if not _ENTITY.search(text):
            break
        text = html.unescape(text)
    else:
        text = _TAG.sub(" ", text)
    return clean_text(text)


def clean_lines(text: str) -> str:
    """Each line cleaned (``clean_text``), empty ones dropped."""
    return "\n".join(line for line in (clean_text(p) for p in text.split("\n")) if line)


def sentences(text: str) -> list[str]:
    """Split on sentence ends followed by a capital or digit (abbreviations like "U.S." survive
    because the next word after them is rarely capitalised mid-sentence, and when it is, the
    cost is a shorter summary, never a broken one)."""
    return [s for s in _SENTENCE_END.split(text) if s]


def lead_summary(paragraphs: tuple[str, ...], max_chars: int) -> str:
    """Lead sentences, whole, up to ``max_chars``; one over-long sentence is cut at a word."""
    out = ""
    for paragraph in paragraphs:
        for sentence in sentences(paragraph):
            candidate = f"{out} {sentence}".strip()
            if len(candidate) > max_chars:
                return out or _cut_at_word(sentence, max_chars)
            out = candidate
    return out


def _cut_at_word(text: str, max_chars: int) -> str:
    cut = text[: max_chars - 1].rsplit(" ", 1)[0].rstrip(" ,;:–—-")
    return cut + "…"
