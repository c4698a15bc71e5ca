"""The HTML body of an entry: lead image with caption and credit, then the paragraphs."""

from __future__ import annotations

from html import escape

from ..model import Article


def caption_line(article: Article) -> str | None:
    """'Caption. (Photo: Credit)' or just one of them."""
    image = article.image
    if image is None:
        return None
    credit = f"Photo: {image.credit}" if image.credit else None
    if image.caption and credit:
        return f"{image.caption} ({credit})"
    return image.caption or credit


# what an entry's content may hold: the extracted text is escaped as it is put together, and the
# result goes through this allow-list too, so that no later change can let markup through
_ALLOWED_TAGS = {"figure", "figcaption", "img", "p"}
_ALLOWED_ATTRIBUTES = {"img": {"src", "alt"}}


def content_html(article: Article) -> str:
    """Script-free HTML built from the extracted text (never the page's own markup), then
    sanitised with an allow-list: no script, style, iframe, form or on* attribute, and only
    http(s) image addresses."""
    import nh3

    return nh3.clean(
        _assemble(article),
        tags=_ALLOWED_TAGS,
        attributes=_ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https"},
        link_rel=None,
        strip_comments=True,
    )


def _assemble(article: Article) -> str:
    parts = []
    image = article.image
    caption = caption_line(article)
    if image is not None and (image.url or caption):
        img = (
            f'<img src="{escape(image.url)}" alt="{escape(image.caption or "")}">'
            if image.url
            else ""
        )
        figcaption = f"<figcaption>{escape(caption)}</figcaption>" if caption else ""
        parts.append(f"<figure>{img}{figcaption}</figure>")
    parts.extend(f"<p>{escape(p, quote=False)}</p>" for p in article.paragraphs)
    return "\n".join(parts)
