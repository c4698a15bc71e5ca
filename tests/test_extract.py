"""Extraction rules, one by one, on small inline inputs; and the seed article."""

from __future__ import annotations

from pathlib import Path

import pytest

from feedgen_pipeline import enrich_file
from feedgen_pipeline.config import default_rules
from feedgen_pipeline.enrich import enrich
from feedgen_pipeline.errors import ArticleError
from feedgen_pipeline.extract import extract
from feedgen_pipeline.extract.bylines import split_byline
from feedgen_pipeline.extract.common import lead_summary
from feedgen_pipeline.extract.credits import trim_credit
from feedgen_pipeline.model import Document, Source, parse_date
from feedgen_pipeline.sources import decode

from .conftest import SHARED

RULES = default_rules()
SEED = SHARED / "seed" / "000_14c485589d1ef55d.txt"


def doc(data: str | bytes, name: str = "a.html") -> Document:
    raw = data.encode("utf-8") if isinstance(data, str) else data
    return extract(Source(Path(name), name, raw), RULES)


@pytest.mark.skipif(not SEED.exists(), reason="the seed article is in ../shared, absent here")
def test_seed_article() -> None:
    article = enrich_file(SEED, RULES)
    assert article.headline == (
        "27 Russian Diplomats Expelled From US – Embassy Laments “Very Bitter Event”"
    )
    assert article.image is not None
    assert article.image.credit == "Darya Ryazhskikh / Contributor / Getty"
    assert article.summary == (
        "Russia was first notified in late November of last year that "
        "the diplomats must prepare to exit US soil."
    )
    assert not any("Image Credits" in p for p in article.paragraphs)
    assert article.paragraphs[0].startswith("27 Russian diplomats left the United States")
    assert {"RU", "US", "UA"} <= {c.code for c in article.countries}


TEXT = """Headline Here

A short dek sentence.

Photo: Jane Doe / Agency.

First body paragraph, with “quotes” – and a dash.
It continues on a second line.

Second body paragraph.
"""


def test_text_layout() -> None:
    d = doc(TEXT, "a.txt")
    assert d.kind == "text"
    assert d.headline == "Headline Here"
    assert d.dek == "A short dek sentence."
    assert d.image is not None and d.image.credit == "Jane Doe / Agency"
    assert d.paragraphs == (
        "First body paragraph, with “quotes” – and a dash. It continues on a second line.",
        "Second body paragraph.",
    )


def test_text_without_credit_line_takes_short_second_paragraph_as_dek() -> None:
    d = doc("Title\n\nA dek.\n\nBody one.\n\nBody two.\n", "a.txt")
    assert (d.dek, d.image, d.paragraphs) == ("A dek.", None, ("Body one.", "Body two."))


def test_text_with_long_paragraph_before_credit_keeps_it_as_body() -> None:
    long = "Long paragraph. " * 40
    d = doc(f"Title\n\n{long}\n\nImage Credits: X / Y\n\nBody.\n", "a.txt")
    assert d.dek is None
    assert d.paragraphs == (long.strip(), "Body.")


@pytest.mark.parametrize(
    "line, credit",
    [
        (
            "Image Credits: Darya Ryazhskikh / Contributor / Getty.",
            "Darya Ryazhskikh / Contributor / Getty",
        ),
        ("Photo: Ingrid Halvorsen / NTB Scanpix", "Ingrid Halvorsen / NTB Scanpix"),
        (
            "Photograph: Lars Becker/Bloomberg via Getty Images",
            "Lars Becker/Bloomberg via Getty Images",
        ),
        ("Credit: A. B. Smith/A.P.", "A. B. Smith/A.P."),
    ],
)
def test_credit_lines(line: str, credit: str) -> None:
    d = doc(f"Title\n\nDek.\n\n{line}\n\nBody.\n", "a.txt")
    assert d.image is not None and d.image.credit == credit


def test_trim_credit_keeps_abbreviation_stops() -> None:
    assert trim_credit("(Jane Doe/AFP.)", RULES.credit) == ("Jane Doe/AFP", False)
    assert trim_credit("Staff/U.S. Navy/A.P.", RULES.credit) == ("Staff/U.S. Navy/A.P.", False)


PAGE = """<html lang="en_GB"><head>
<title>Title Headline | Site</title>
<meta property="og:title" content="OG Headline | Site">
<meta property="og:site_name" content="Site">
<meta name="description" content="Meta description.">
<link rel="canonical" href="https://site.example/a">
<script type="application/ld+json">{"@context": "https://schema.org", "@graph": [
 {"@type": "WebPage", "name": "Page"},
 {"@type": "NewsArticle", "headline": "LD Headline", "datePublished": "2026-01-02T03:04:05+01:00",
  "author": [{"@type": "Person", "name": "Ann Author"}, {"@type": "Person", "name": "Bo Writer"}],
  "image": {"@type": "ImageObject", "url": "/img/lead.jpg", "creditText": "Ld Credit/Agency"}}]}
</script></head><body>
<nav><p>Menu item with Russia</p></nav>
<article><h1>H1 Headline</h1><p class="byline">By Someone Else</p>
<figure><img src="/img/lead.jpg">
<figcaption>A caption. <span class="credit">Fig Credit</span></figcaption></figure>
<p>First paragraph of the story.</p><div class="share">Share this</div>
<p>Second paragraph.</p><aside class="related"><p>Related story</p></aside>
<script>var x = "<p>not text</p>";</script>
</article></body></html>"""


def test_html_cascade_prefers_json_ld() -> None:
    d = doc(PAGE)
    assert d.headline == "LD Headline"
    assert d.url == "https://site.example/a"
    assert d.description == "Meta description."
    assert d.authors == ("Ann Author", "Bo Writer")
    assert d.published is not None and d.published.isoformat() == "2026-01-02T03:04:05+01:00"
    assert d.language == "en-GB"
    assert d.image is not None
    assert d.image.url == "https://site.example/img/lead.jpg"
    assert d.image.credit == "Fig Credit"  # the credit the page shows wins over JSON-LD
    assert d.image.caption == "A caption."
    assert d.paragraphs == ("First paragraph of the story.", "Second paragraph.")


def test_html_falls_back_to_og_then_h1_then_title() -> None:
    without_ld = PAGE.split("<script type")[0] + PAGE.split("</script>", 1)[1]
    assert doc(without_ld).headline == "OG Headline"
    without_og = without_ld.replace('property="og:title"', 'property="x"')
    assert doc(without_og).headline == "H1 Headline"
    assert doc(without_og).image.credit == "Fig Credit"  # type: ignore[union-attr]
    assert doc(without_og).authors == ("Someone Else",)
    without_h1 = without_og.replace("<h1>H1 Headline</h1>", "")
    assert doc(without_h1).headline == "Title Headline"


def test_title_suffix_is_removed_without_site_name() -> None:
    page = "<title>Ministers Meet in Paris to Discuss Sanctions - Daily Post</title><p>Text.</p>"
    assert doc(page).headline == "Ministers Meet in Paris to Discuss Sanctions"


def test_caption_text_credit() -> None:
    page = (
        "<article><h1>H</h1><figure><img src='https://x.example/a.jpg'><figcaption>"
        "Vessels near Kinmen on Tuesday. (Photo: Jane Doe/AFP)</figcaption></figure>"
        "<p>Body.</p></article>"
    )
    image = doc(page).image
    assert image is not None
    assert (image.caption, image.credit) == ("Vessels near Kinmen on Tuesday.", "Jane Doe/AFP")


def test_caption_without_credit_gives_no_credit() -> None:
    page = (
        "<article><h1>H</h1><figure><img src='https://x.example/a.jpg'><figcaption>"
        "Photographers gather at the summit.</figcaption></figure><p>Body.</p></article>"
    )
    image = doc(page).image
    assert image is not None and image.credit is None


def test_windows_1252_page_with_meta_charset() -> None:
    page = (
        '<meta http-equiv="Content-Type" content="text/html; charset=windows-1252">'
        "<h1>Bolivia’s “lithium” – €2 billion</h1><p>Peña said.</p>"
    ).encode("cp1252")
    d = doc(page)
    assert d.headline == "Bolivia’s “lithium” – €2 billion"
    assert d.paragraphs == ("Peña said.",)


def test_mislabelled_utf8_is_read_as_utf8() -> None:
    data = '<meta charset="iso-8859-1"><p>Zürich – “quoted”</p>'.encode()
    assert decode(data, html=True) == (
        '<meta charset="iso-8859-1"><p>Zürich – “quoted”</p>',
        "utf-8",
    )


def test_no_headline_anywhere_takes_the_lead_sentence() -> None:
    article = enrich(doc("<div><p>India and Pakistan met in Vienna. They talked.</p></div>"), RULES)
    assert article.headline == "India and Pakistan met in Vienna."
    assert [e.rule for e in article.evidence if e.field == "headline"] == ["lead-sentence"]


def test_no_text_at_all_is_an_article_error() -> None:
    with pytest.raises(ArticleError, match="no headline and no text"):
        enrich(doc("<html><body></body></html>"), RULES)


def test_byline_splitting() -> None:
    assert split_byline("By Jane Doe and John Roe, Updated 3 May 2026", RULES) == (
        "Jane Doe",
        "John Roe",
    )
    assert split_byline("by Wei-Lun Chang", RULES) == ("Wei-Lun Chang",)
    assert split_byline("Share this story", RULES) == ()


def test_lead_summary_cuts_at_sentence_boundary() -> None:
    text = ("The U.S. and Russia met. " * 3).strip()
    summary = lead_summary((text,), 60)
    assert summary == "The U.S. and Russia met. The U.S. and Russia met."
    assert len(lead_summary(("word " * 100,), 50)) <= 50


def test_dates_keep_their_time_zone() -> None:
    parsed = parse_date("2026-03-04T08:30:00+02:00")
    assert parsed is not None and parsed.utcoffset() is not None
    assert parsed.utcoffset().total_seconds() == 7200  # type: ignore[union-attr]
    assert parse_date("Tue, 10 Mar 2026 17:45:00 +0100") is not None
    assert parse_date("2026-01-22").tzinfo is not None  # type: ignore[union-attr]
    assert parse_date("not a date") is None


def _page(head: str, body: str) -> str:
    return f"<html><head>{head}</head><body>{body}</body></html>"


def test_visible_h1_wins_when_a_metadata_title_confirms_it() -> None:
    page = _page(
        '<script type="application/ld+json">{"@type": "NewsArticle",'
        ' "headline": "Ministers agree new grain deal after talks"}</script>'
        '<meta property="og:title" content="Black Sea grain deal: ministers agree after talks">',
        "<h1>Site Logo</h1><article><h1>Grain deal: ministers agree after long talks</h1>"
        "<p>Body.</p></article>",
    )
    d = doc(page)
    assert d.headline == "Grain deal: ministers agree after long talks"
    assert ("headline", "h1") in {(e.field, e.rule) for e in d.evidence}


def test_unconfirmed_h1_gives_way_to_metadata() -> None:
    page = _page(
        '<meta property="og:title" content="Ministers agree new grain deal">',
        "<article><h1>Log in to read more</h1><p>Body.</p></article>",
    )
    assert doc(page).headline == "Ministers agree new grain deal"


def test_truncated_json_ld_headline_is_skipped() -> None:
    page = _page(
        '<script type="application/ld+json">{"@type": "NewsArticle",'
        ' "headline": "Ministers agree new grain deal after..."}</script>'
        '<meta property="og:title" content="Ministers agree new grain deal after talks in Ankara">',
        "<p>Body.</p>",
    )
    assert doc(page).headline == "Ministers agree new grain deal after talks in Ankara"


def test_story_h1_comes_before_a_search_title() -> None:
    page = _page(
        "<title>Grain deal reached — Daily Post</title>",
        "<article><h1>Ministers strike a grain deal at last</h1><p>Body.</p></article>",
    )
    assert doc(page).headline == "Ministers strike a grain deal at last"


def _credit(body: str, head: str = "") -> str | None:
    image = doc(_page(head, body)).image
    return image.credit if image else None


LONG = "A paragraph of the story that is long enough to count as body text of the article. "


@pytest.mark.parametrize(
    "caption, credit",
    [
        ("Crowds in Kyiv on Monday. (Jane Doe/AFP/Getty Images)", "Jane Doe/AFP/Getty Images"),
        ("Crowds in Kyiv on Monday. (AP Photo/Jane Doe, File)", "AP Photo/Jane Doe, File"),
        ("File photo of the summit. (Reuters)", "Reuters"),
        ("( The Daily Post )", "The Daily Post"),
        ("Crowds in Kyiv on Monday. Jane Doe/AFP/Getty Images", "Jane Doe/AFP/Getty Images"),
        ("Crowds in Kyiv, 2023. REUTERS/Jane Doe", "REUTERS/Jane Doe"),
        ("Crowds in Kyiv. Credit Credit... Jane Doe for The Post", "Jane Doe for The Post"),
        ("Picture: iStock", "iStock"),
        ("Ministers (left) and envoys (right) in Kyiv.", None),
        ("Ministers meet in Kyiv (File)", None),
    ],
)
def test_caption_credit_patterns(caption: str, credit: str | None) -> None:
    body = f"<article><figure><img src='/a.jpg'><figcaption>{caption}</figcaption></figure>"
    assert _credit(body + f"<p>{LONG}</p></article>") == credit


def test_credit_label_inside_credit_element_is_dropped() -> None:
    body = (
        "<figure><img src='/a.jpg'><figcaption>Crowds. <span class='credit'>"
        "<span class='visually-hidden'>Credit</span> Jane Doe/AFP</span></figcaption></figure>"
    )
    assert _credit(body) == "Jane Doe/AFP"


def test_caption_element_outside_a_figure() -> None:
    body = (
        "<article><div class='lead'><img src='/a.jpg'><div class='image-caption'>"
        f"Crowds in Kyiv. Photo: Jane Doe/AFP</div></div><p>{LONG}</p></article>"
    )
    assert _credit(body) == "Jane Doe/AFP"


CAPTION = "Ferries wait at the quay in the morning mist before the strike began."
STORY = (
    "Harbour pilots in the northern port walked out on Tuesday over a new rota of night shifts.",
    "The port authority said the terminals would reopen once talks with the union resumed.",
)


def _caption_and_story(name: str) -> tuple[str | None, tuple[str, ...]]:
    """The lead image's caption when the element of class ``name`` is in a figure; and the
    story's paragraphs when that element is a <div> among those holding the story."""
    figure = f"<figure><img src='/a.jpg'><div class='{name}'>{CAPTION}</div></figure>"
    image = doc(_page("", f"<article>{figure}<p>{LONG}</p></article>")).image
    divs = "".join(f"<div>{p}</div>" for p in STORY)
    story = doc(_page("", f"<div><div class='{name}'>{CAPTION}</div>{divs}</div>")).paragraphs
    return image.caption if image else None, story


@pytest.mark.parametrize("name", ["img_cptn", "story-CPTN", "image-caption", "photoCaption"])
def test_a_caption_class_is_the_images_caption_and_not_the_story(name: str) -> None:
    assert _caption_and_story(name) == (CAPTION, STORY)


def test_an_element_of_another_class_is_neither() -> None:
    assert _caption_and_story("photo-note") == (None, (CAPTION, *STORY))


def test_credit_from_data_attribute() -> None:
    body = "<div class='gallery-caption' data-credit='Jane Doe/AFP'><img src='/a.jpg'>Crowds.</div>"
    assert _credit(body) == "Jane Doe/AFP"


def test_credit_overlay_inside_figure() -> None:
    body = "<figure><div><img src='/a.jpg'><span>AP Photo/Jane Doe</span></div></figure>"
    assert _credit(body) == "AP Photo/Jane Doe"


def test_sentence_overlay_is_not_a_credit() -> None:
    body = "<figure><img src='/a.jpg'><span>Media playback is unsupported here</span></figure>"
    assert _credit(body) is None


def test_credit_from_alt_text_of_the_og_image() -> None:
    head = '<meta property="og:image" content="https://x.example/i/ab12cd34ef56.jpg">'
    body = "<p><img src='/i/ab12cd34ef56-small.jpg' alt='Crowds in Kyiv. (AP Photo/Jane Doe)'></p>"
    assert _credit(body, head) == "AP Photo/Jane Doe"


def test_alt_text_label_is_not_a_credit() -> None:
    head = '<meta property="og:image" content="https://x.example/i/ab12cd34ef56.jpg">'
    body = "<figure><img src='/i/ab12cd34ef56.jpg' alt='Image: the house in Braunau'></figure>"
    assert _credit(body, head) is None


def test_lead_figure_is_the_one_showing_the_og_image() -> None:
    head = '<meta property="og:image" content="https://x.example/i/lead0000001-xlarge.jpg">'
    body = (
        "<figure><img src='/i/other000001.jpg'><figcaption>Other. Photo: A B</figcaption></figure>"
        "<figure><img src='/i/lead0000001.jpg?w=400'><figcaption>Lead. Photo: C D</figcaption>"
        "</figure>"
    )
    assert _credit(body, head) == "C D"


def test_figure_deep_in_the_story_is_not_the_lead() -> None:
    body = (
        f"<article><p>{LONG}</p><p>{LONG}</p><p>{LONG}</p><figure><img src='/a.jpg'>"
        "<figcaption>Later. Photo: Jane Doe/AFP</figcaption></figure></article>"
    )
    assert _credit(body) is None


def test_json_ld_image_reference_is_resolved() -> None:
    head = (
        '<script type="application/ld+json">{"@graph": [{"@type": "NewsArticle",'
        ' "headline": "H", "image": {"@id": "https://x.example/#primaryimage"}},'
        ' {"@type": "ImageObject", "@id": "https://x.example/#primaryimage",'
        ' "url": "https://x.example/lead.jpg", "creditText": "Jane Doe/AFP"}]}</script>'
    )
    image = doc(_page(head, "<p>Body.</p>")).image
    assert image is not None
    assert (image.url, image.credit) == ("https://x.example/lead.jpg", "Jane Doe/AFP")


def test_byline_stops_at_a_written_date_and_needs_real_initials() -> None:
    assert split_byline("By GILLIAN MOHNEY March 11, 2015 3:46 PM", RULES) == ("GILLIAN MOHNEY",)
    assert split_byline("J J", RULES) == ()
    assert split_byline("By J. K. Rowling", RULES) == ("J. K. Rowling",)


def test_byline_outside_the_story_is_found_when_nothing_else_names_the_author() -> None:
    page = _page("", f"<div class='author-name'>JANE DOE</div><article><p>{LONG}</p></article>")
    assert doc(page).authors == ("JANE DOE",)


def test_json_ld_in_cdata_and_dublin_core_date() -> None:
    page = _page(
        '<script type="application/ld+json"><![CDATA[{"@type": "NewsArticle",'
        ' "headline": "H", "datePublished": "2024-12-06T22:00:40Z"}]]></script>',
        "<p>Body.</p>",
    )
    assert doc(page).published is not None
    assert doc(page).published.isoformat() == "2024-12-06T22:00:40+00:00"  # type: ignore[union-attr]
    dated = _page('<meta name="dc.date" content="2019-09-24">', "<p>Body.</p>")
    assert str(doc(dated).published) == "2019-09-24 00:00:00+00:00"


@pytest.mark.parametrize(
    "description, summary",
    [
        (
            "By Jane Ann Doe CNN WASHINGTON (CNN) — Ministers met on Tuesday in the capital.",
            "WASHINGTON (CNN) — Ministers met on Tuesday in the capital.",
        ),
        ("The Daily Post Magazine", "Ministers met on Tuesday to agree a new grain deal."),
    ],
)
def test_summary_drops_bylines_and_taglines(description: str, summary: str) -> None:
    page = _page(
        f'<meta name="description" content="{description}">',
        "<article><h1>Grain deal</h1><p>Advertisement</p>"
        "<p>Ministers met on Tuesday to agree a new grain deal.</p></article>",
    )
    assert enrich(doc(page), RULES).summary == summary


def test_bylines_of_other_stories_are_not_the_author() -> None:
    page = _page(
        "",
        "<div class='list'><span class='byline'>Ann Other</span><span class='byline'>Bo Else"
        f"</span></div><article><p>{LONG}</p></article>",
    )
    assert doc(page).authors == ()


def test_credit_element_goes_on_after_a_slash_in_its_caption() -> None:
    body = (
        "<article><figure><img src='/a.jpg'><figcaption><span class='caption'>Ferries wait."
        "</span> <span class='credit'>Photo by Jane Doe</span> /<span class='distributor'>"
        f"Harbour News</span></figcaption></figure><p>{LONG}</p></article>"
    )
    image = doc(_page("", body)).image
    assert image is not None
    assert (image.caption, image.credit) == ("Ferries wait.", "Jane Doe /Harbour News")


def test_credit_line_before_the_caption_text() -> None:
    body = (
        "<article><figure><img src='/a.jpg'><figcaption>© Reuters / Jane Doe<br>"
        f"Ferries wait at the quay.</figcaption></figure><p>{LONG}</p></article>"
    )
    image = doc(_page("", body)).image
    assert image is not None
    assert (image.caption, image.credit) == ("Ferries wait at the quay.", "Reuters / Jane Doe")


def test_credit_only_in_the_title_of_the_image() -> None:
    head = '<meta property="og:image" content="https://x.example/i/ferry0000001.jpg">'
    body = (
        "<article><p><img src='/i/ferry0000001.jpg' alt='Ferries at the quay'"
        " title='Ferries at the quay (Sahel Wire file photo)'></p>"
        f"<p>{LONG}</p></article>"
    )
    assert _credit(body, head) == "Sahel Wire"


def test_credit_line_after_the_body_leaves_the_body() -> None:
    body = (
        f"<article><p>{LONG}</p><p>{LONG}Second.</p><p>Main image credit: Sahel Wire</p></article>"
    )
    d = doc(_page("", body))
    assert d.image is not None and d.image.credit == "Sahel Wire"
    assert d.paragraphs == (LONG.strip(), f"{LONG}Second.")


def test_copyright_line_after_the_body_is_the_sites() -> None:
    body = f"<article><p>{LONG}</p><p>© 2024 Harbour Media. All rights reserved.</p></article>"
    assert _credit(body) is None


def test_a_no_caption_wrapper_holds_no_caption() -> None:
    body = (
        "<article><div class='photo'><p class='withoutCaption'><img src='/a.jpg'></p>"
        "<span class='newsCaption'>Ferries wait at the quay <span class='caption'>(Image: Getty)"
        f"</span></span></div><p>{LONG}</p></article>"
    )
    assert _credit(body) == "Getty"


def test_picture_with_no_caption_markup_reads_the_lines_after_it() -> None:
    head = '<meta property="og:image" content="https://x.example/i/ferry0000001.jpg">'
    body = (
        "<article><div><picture><img src='/i/ferry0000001.jpg'></picture>"
        "<div>Ferries wait at the quay</div><div>Getty Images</div></div>"
        f"<p>{LONG}</p></article>"
    )
    image = doc(_page(head, body)).image
    assert image is not None
    assert (image.caption, image.credit) == ("Ferries wait at the quay", "Getty Images")


def test_navigation_after_a_bare_picture_is_no_caption() -> None:
    head = '<meta property="og:image" content="https://x.example/i/ferry0000001.jpg">'
    menu = "".join(f"<li>Section {i}</li>" for i in range(8))
    body = (
        f"<div><img src='/i/ferry0000001.jpg'><ul>{menu}</ul><div>Contact/Imprint</div></div>"
        f"<article><p>{LONG}</p></article>"
    )
    assert _credit(body, head) is None


def test_captioned_figure_inside_a_wrapper_named_caption() -> None:
    body = (
        "<article><header class='header--caption-style'><h1>Title</h1>"
        "<p class='byline' itemprop='author'>Jane Writer</p>"
        "<figure><img src='/a.jpg'><figcaption>Ferries wait. <span class='caption-credit'>"
        f"Photograph: Getty Images</span></figcaption></figure></header><p>{LONG}</p></article>"
    )
    assert _credit(body) == "Getty Images"


def test_the_stories_byline_in_a_figure_is_no_credit() -> None:
    body = (
        "<article><figure><img src='/a.jpg'><p itemprop='author'>Jane Writer</p>"
        f"<figcaption>Ferries wait at the quay.</figcaption></figure><p>{LONG}</p></article>"
    )
    assert _credit(body) is None


def test_a_figure_past_the_third_paragraph_is_not_the_lead_even_with_the_og_image() -> None:
    head = '<meta property="og:image" content="https://x.example/i/ferry0000001.jpg">'
    body = (
        "<article><figure><div class='video-player'><img src='/i/poster00000001.jpg'></div>"
        f"<figcaption>Watch: the ferry strike</figcaption></figure><p>{LONG}</p><p>{LONG}</p>"
        f"<p>{LONG}</p><figure><img src='/i/ferry0000001.jpg'><figcaption>Ferries wait."
        " (Jane Doe/AFP)</figcaption></figure></article>"
    )
    assert _credit(body, head) is None


def test_text_article_credit_line_after_the_body() -> None:
    d = doc("Title\n\nFirst paragraph.\n\nSecond paragraph.\n\nPhoto: Jane Doe/AFP\n", "a.txt")
    assert d.image is not None and d.image.credit == "Jane Doe/AFP"
    assert d.paragraphs == ("First paragraph.", "Second paragraph.")


def test_a_lazy_pages_placeholder_is_not_the_lead_image() -> None:
    body = (
        "<article><div class='wheel'><img src='/assets/Blank.gif' data-src=''>"
        f"<p class='caption'>Ferries wait at the quay.</p></div><p>{LONG}</p></article>"
    )
    image = doc(_page("", body)).image
    assert image is not None and (image.url, image.caption) == (None, "Ferries wait at the quay.")


def test_the_og_images_figure_further_on_is_the_lead_when_nothing_comes_before() -> None:
    head = '<meta property="og:image" content="https://x.example/i/ferry0000001.jpg">'
    body = (
        f"<article><p>{LONG}</p><p>{LONG}</p><p>{LONG}</p><figure><img src='/i/ferry0000001.jpg'>"
        "<figcaption>Ferries wait. (Jane Doe/AFP)</figcaption></figure></article>"
    )
    assert _credit(body, head) == "Jane Doe/AFP"


def test_an_h1_that_is_the_site_name_is_a_logo_not_the_headline() -> None:
    page = (
        "<html><head><title>Neuer Radweg kommt im Sommer | Kurier</title></head><body>"
        "<h1>Kurier</h1><h2>Neuer Radweg kommt im Sommer</h2><h2>Kategorien</h2>"
        f"<p>{LONG}</p></body></html>"
    )
    d = doc(page)
    assert d.headline == "Neuer Radweg kommt im Sommer"


def test_a_boilerplate_class_on_the_story_container_does_not_remove_the_story() -> None:
    """A theme may class the story's own container "share" (it shows share buttons there);
    the share buttons inside it still go."""
    page = _page(
        "",
        "<article><h1>Neuer Radweg kommt im Sommer</h1><div class='entry themeform share'>"
        f"<p>{LONG}</p><p>{LONG}Second.</p><div class='share-buttons'><p>Share on X</p></div>"
        "</div></article>",
    )
    assert doc(page).paragraphs == (LONG.strip(), LONG + "Second.")
