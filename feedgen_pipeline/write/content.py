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


def content_html(article: Article) -> str:
    """Escaped, script-free HTML built from the extracted text (never the page's own markup)."""
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
