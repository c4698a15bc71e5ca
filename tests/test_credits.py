"""The credit grammar (rules.credit), one row per string: what kind of text it is, the text,
and the credit it holds (None: none). Every string is written for these tests."""

from __future__ import annotations

import pytest

from feedgen_pipeline.config import default_rules
from feedgen_pipeline.config.credits import TextKind
from feedgen_pipeline.extract.credits import read_credit

GRAMMAR = default_rules().credit

Row = tuple[TextKind, str, str | None]

LABELS: list[Row] = [
    ("element", "© Tomas Berg", "Tomas Berg"),
    ("element", "©Tomas Berg/Harbour Press", "Tomas Berg/Harbour Press"),
    ("element", "(c) Priya Raman", "Priya Raman"),
    ("element", "© 2024 Priya Raman", "Priya Raman"),
    ("element", "Copyright Agency Photo", "Agency Photo"),
    ("element", "Copyright 2023 Lakeside Studio", "Lakeside Studio"),
    ("element", "© Reuters / Jane Doe", "Reuters / Jane Doe"),
    ("element", "Photo: Kofi Mensah", "Kofi Mensah"),
    ("element", "Photos: Kofi Mensah and Ines Moreau", "Kofi Mensah and Ines Moreau"),
    ("element", "Photograph: Ines Moreau/The Valley Herald", "Ines Moreau/The Valley Herald"),
    ("element", "Photography: Yuki Sato", "Yuki Sato"),
    ("element", "Picture: Mateo Cruz", "Mateo Cruz"),
    ("element", "Pic: Mateo Cruz", "Mateo Cruz"),
    ("element", "Image: Getty", "Getty"),
    ("element", "Images: AFP", "AFP"),
    ("element", "Illustration: Noor Aziz", "Noor Aziz"),
    ("element", "Photographer: Lars Ekdahl", "Lars Ekdahl"),
    ("element", "Screenshot: Harbour TV", "Harbour TV"),
    ("element", "Credit: Amira Haddad", "Amira Haddad"),
    ("element", "Credits: Amira Haddad/Sahel Wire", "Amira Haddad/Sahel Wire"),
    ("element", "Credit Amira Haddad", "Amira Haddad"),
    (
        "element",
        "Credit...Amira Haddad for The Coastal Times",
        "Amira Haddad for The Coastal Times",
    ),
    ("element", "CreditCredit...Amira Haddad", "Amira Haddad"),
    ("element", "Photo credit: Lena Vogt", "Lena Vogt"),
    ("element", "Image credit: Lena Vogt", "Lena Vogt"),
    ("element", "Main image credit: Lena Vogt", "Lena Vogt"),
    ("element", "Picture by Jane Doe", "Jane Doe"),
    ("element", "Photo by Jane Doe/Postmark Media", "Jane Doe/Postmark Media"),
    ("element", "Photograph by Jane Doe", "Jane Doe"),
    ("element", "Photo illustration by Oren Tal", "Oren Tal"),
    ("element", "Photos courtesy of the Hill Family", "the Hill Family"),
    ("element", "Image courtesy of Meridian Labs", "Meridian Labs"),
    ("element", "PHOTO: KOFI MENSAH", "KOFI MENSAH"),
    ("element", "Photo | Kofi Mensah", "Kofi Mensah"),
    ("element", "Photo: © Kofi Mensah", "Kofi Mensah"),
    ("element", "Photo / Supplied", "Supplied"),
    ("element", "Photo courtesy: Harbour Museum", "Harbour Museum"),
    ("element", "Image source: Meridian Labs", "Meridian Labs"),
    (
        "caption",
        "Ferries at the quay. (Photo credit should read JANE DOE/AFP via Getty Images)",
        "JANE DOE/AFP via Getty Images",
    ),
]

PLACES: list[Row] = [
    # a credit element: the page says so; names are enough
    ("element", "Jane Doe", "Jane Doe"),
    ("element", "Tomas Berg/Harbour Press", "Tomas Berg/Harbour Press"),
    ("element", "ipopba", "ipopba"),
    ("element", "Mila Roth / Getty Images", "Mila Roth / Getty Images"),
    ("element", "(Jane Doe/AFP)", "Jane Doe/AFP"),
    ("element", "Staff/U.S. Navy/A.P.", "Staff/U.S. Navy/A.P."),
    ("element", "Jane Doe/AFP.", "Jane Doe/AFP"),
    ("element", "Courtesy of Riverside Zoo", "Courtesy of Riverside Zoo"),
    ("element", "Jane Doe and Tomas Berg", "Jane Doe and Tomas Berg"),
    # words laid over the picture
    ("overlay", "AP Photo/Jane Doe", "AP Photo/Jane Doe"),
    ("overlay", "Getty Images", "Getty Images"),
    ("overlay", "Kofi Mensah", "Kofi Mensah"),
    # a line of a text article, and a line after the story: a label is needed
    ("line", "Photo: Lena Vogt / Nordlicht Agency", "Lena Vogt / Nordlicht Agency"),
    (
        "line",
        "Image Credits: Tomas Berg / Contributor / Getty.",
        "Tomas Berg / Contributor / Getty",
    ),
    ("line", "Credit: A. B. Lund/A.P.", "A. B. Lund/A.P."),
    ("after-body", "Main image credit: Sahel Wire", "Sahel Wire"),
    (
        "after-body",
        "Top photo: Priya Raman/AFP via Getty Images",
        "Priya Raman/AFP via Getty Images",
    ),
    ("after-body", "Image credit: Meridian Labs", "Meridian Labs"),
    # the end of a caption, in brackets
    (
        "caption",
        "Ferries wait at the quay on Monday. (Jane Doe/AFP/Getty Images)",
        "Jane Doe/AFP/Getty Images",
    ),
    ("caption", "Ferries wait at the quay. (AP Photo/Jane Doe, File)", "AP Photo/Jane Doe, File"),
    ("caption", "A file picture of the bridge. (Reuters)", "Reuters"),
    ("caption", "Voters queue in the rain [File: Reuters]", "Reuters"),
    ("caption", "Voters queue in the rain [Jane Doe/Sahel Wire]", "Jane Doe/Sahel Wire"),
    ("caption", "The new ferry terminal (Photo: Kofi Mensah).", "Kofi Mensah"),
    (
        "caption",
        "The new ferry terminal (Image: LightRocket via Getty Images)",
        "LightRocket via Getty Images",
    ),
    ("caption", "The harbour at dawn (Tomas Berg)", "Tomas Berg"),
    ("caption", "The harbour at dawn (Reuters file photo)", "Reuters"),
    ("caption", "( The Valley Herald )", "The Valley Herald"),
    # a label after a sentence, a dash or a pipe
    (
        "caption",
        "Ferries wait at the quay. Photograph: Ines Moreau/The Valley Herald",
        "Ines Moreau/The Valley Herald",
    ),
    ("caption", "Ferries wait at the quay. Credit: Amira Haddad", "Amira Haddad"),
    ("caption", "Ferries wait at the quay — Picture by Jane Doe", "Jane Doe"),
    ("caption", "Ferries wait at the quay - Photo: Jane Doe", "Jane Doe"),
    ("caption", "Ferries wait at the quay | Image: Sahel Wire", "Sahel Wire"),
    ("caption", "Ferries wait at the quay.Credit: Amira Haddad/Xinhua", "Amira Haddad/Xinhua"),
    ("caption", "Ferries wait at the quay Photo: Kofi Mensah", "Kofi Mensah"),
    (
        "caption",
        "Ferries wait at the quay. Credit Credit... Lena Vogt for The Daily Ledger",
        "Lena Vogt for The Daily Ledger",
    ),
    ("caption", "Ferries wait at the quay. © Tomas Berg", "Tomas Berg"),
    ("caption", "Image: Getty Images", "Getty Images"),
    # a caption that is nothing but a credit
    ("caption", "Getty Images", "Getty Images"),
    ("caption", "Supplied", "Supplied"),
    ("caption", "Handout", "Handout"),
    ("caption", "jdoe - stock.example.com", "jdoe - stock.example.com"),
    ("caption", "Priya Raman/Bloomberg", "Priya Raman/Bloomberg"),
    ("caption", "Picture: iStock", "iStock"),
    # a credit line of its own, above or below the caption's text
    ("caption", "Ferries wait at the quay on Monday.\nGetty Images", "Getty Images"),
    ("caption", "Ferries wait at the quay on Monday.\nJane Doe/AFP", "Jane Doe/AFP"),
    ("caption", "Photo: Jane Doe/AFP\nFerries wait at the quay on Monday.", "Jane Doe/AFP"),
    ("caption", "REUTERS/Tomas Berg\nFerries wait at the quay on Monday.", "REUTERS/Tomas Berg"),
    # after a pipe, a dash or a slash
    ("caption", "Ferries wait at the quay | AGENCY", "AGENCY"),
    (
        "caption",
        "Should the vote pass, the port will close. | Niall Roe/PA Images via Getty Images",
        "Niall Roe/PA Images via Getty Images",
    ),
    ("caption", "Ferries wait at the quay | Moment | Getty Images", "Moment | Getty Images"),
    ("caption", "Ferries wait at the quay — Jane Doe/AFP", "Jane Doe/AFP"),
    ("caption", "Ferries wait at the quay - Reuters", "Reuters"),
    ("caption", "Ferries wait at the quay – Supplied", "Supplied"),
    ("caption", "Ferries wait at the quay /Getty Images", "Getty Images"),
    # the last sentence
    (
        "caption",
        "Ferries wait at the quay on Tuesday. Jane Doe/AFP/Getty Images",
        "Jane Doe/AFP/Getty Images",
    ),
    ("caption", "Ferries wait at the quay, 2023. REUTERS/Jane Doe", "REUTERS/Jane Doe"),
    ("caption", "The lodge has been rebuilt from the ground up. Supplied", "Supplied"),
    ("caption", "The lodge has been rebuilt. Supplied Image", "Supplied Image"),
    ("caption", "The lodge has been rebuilt. AP", "AP"),
    ("caption", "The lodge reopened.Tomas Berg / Reuters file", "Tomas Berg / Reuters"),
    (
        "caption",
        "The old mill on the river. Jane Doe for The Coastal Times",
        "Jane Doe for The Coastal Times",
    ),
    ("caption", "The dam at night. Stringer/Anadolu Agency", "Stringer/Anadolu Agency"),
    # before the caption's text
    ("caption", "Jane Doe/AFP. Ferries wait at the quay on Monday.", "Jane Doe/AFP"),
    ("caption", "Photo: Jane Doe | Ferries wait at the quay", "Jane Doe"),
    ("caption", "Getty Images — Ferries wait at the quay on Monday.", "Getty Images"),
    ("caption", "Ferries. Harbour Photo Service", "Harbour Photo Service"),
    # alt and title texts: a credit after a description
    ("alt", "Ferries wait at the quay (Reuters file photo)", "Reuters"),
    ("alt", "Ferries wait at the quay. (AP Photo/Jane Doe)", "AP Photo/Jane Doe"),
    ("alt", "Ferries wait at the quay | Photo: Sahel Wire", "Sahel Wire"),
    ("alt", "Ferries wait at the quay. Photo: Kofi Mensah", "Kofi Mensah"),
    ("alt", "Ferries wait at the quay. Jane Doe/AFP", "Jane Doe/AFP"),
    ("alt", "Ferries wait at the quay - Getty Images", "Getty Images"),
    ("alt", "Ferries wait at the quay (Agency file photo)", "Agency"),
]

SHAPES: list[Row] = [
    ("caption", "AP Photo/Jane Doe", "AP Photo/Jane Doe"),
    ("caption", "REUTERS/Jane Doe", "REUTERS/Jane Doe"),
    ("caption", "Jane Doe/AFP via Getty Images", "Jane Doe/AFP via Getty Images"),
    ("caption", "Getty Images/iStockphoto", "Getty Images/iStockphoto"),
    ("caption", "Tomas Berg / Contributor / Getty", "Tomas Berg / Contributor / Getty"),
    ("caption", "Bloomberg via Getty Images", "Bloomberg via Getty Images"),
    ("caption", "Handout via Reuters", "Handout via Reuters"),
    ("caption", "Pool photo", "Pool photo"),
    ("caption", "Courtesy Harbour Museum", "Courtesy Harbour Museum"),
    ("caption", "Screengrab", None),
    ("caption", "Xinhua", "Xinhua"),
    ("caption", "EPA-EFE", "EPA-EFE"),
    ("caption", "Associated Press", "Associated Press"),
    ("caption", "Shutterstock", "Shutterstock"),
    ("caption", "Alamy Stock Photo", "Alamy Stock Photo"),
    ("caption", "Panos Pictures", "Panos Pictures"),
    ("caption", "Lakeside Photography", "Lakeside Photography"),
    ("caption", "Kofi Mensah for The Daily Ledger", "Kofi Mensah for The Daily Ledger"),
    ("caption", "Getty Images/miodrag lune", "Getty Images/miodrag lune"),
    ("caption", "picture alliance/dpa", "picture alliance/dpa"),
    ("caption", "Ines Moreau/dpa", "Ines Moreau/dpa"),
    ("caption", "Instagram / @harbourcat", "Instagram / @harbourcat"),
    ("caption", "jdoe/Pixabay.com", "jdoe/Pixabay.com"),
    (
        "caption",
        "Jane Doe/ Harbour Space Agency Press Service photo via AP",
        "Jane Doe/ Harbour Space Agency Press Service photo via AP",
    ),
    ("caption", "Amira Haddad, File", None),
    (
        "caption",
        "Ferries wait at the quay. (AP Photo/Amira Haddad, File)",
        "AP Photo/Amira Haddad, File",
    ),
    ("caption", "Ferries wait at the quay. Amira Haddad/AP, File", "Amira Haddad/AP, File"),
]

NOTES_AND_TRAILERS: list[Row] = [
    (
        "caption",
        "The quay at dusk. REUTERS/Jane Doe Purchase Licensing Rights, opens new tab",
        "REUTERS/Jane Doe",
    ),
    (
        "caption",
        "Smoke rises over the port. Jane Doe/via REUTERS THIS IMAGE HAS BEEN SUPPLIED BY A"
        " THIRD PARTY. NO RESALES. NO ARCHIVES.",
        "Jane Doe/via REUTERS",
    ),
    (
        "caption",
        "Smoke rises over the port. REUTERS/Jane Doe EDITORIAL USE ONLY",
        "REUTERS/Jane Doe",
    ),
    ("caption", "Smoke rises over the port (Reuters file picture)", "Reuters"),
    (
        "caption",
        "Smoke rises over the port (Tomas Berg/Reuters archive photo)",
        "Tomas Berg/Reuters",
    ),
    ("caption", "Smoke rises over the port. MANDATORY CREDIT. NO RESALES.", None),
]

NOT_CREDITS: list[Row] = [
    ("caption", "Harbour cranes / seen from the old quay", None),
    # captions with no credit
    ("caption", "Ministers (left) and envoys (right) meet at the quay.", None),
    ("caption", "Ministers meet at the quay (File)", None),
    ("caption", "Ministers meet at the quay (file photo)", None),
    ("caption", "Houseplants on a windowsill (stock image)", None),
    ("caption", "Jane Doe (centre) with the crew (R)", None),
    ("caption", "The skipper (L) and his mate", None),
    ("caption", "The ferry in 1962 (archive)", None),
    ("caption", "A portrait of the founder (2019)", None),
    ("caption", "The opening night (March 3, 2024)", None),
    ("caption", "Senator Jane Doe speaks to reporters (D-Ill.)", None),
    ("caption", "Mokoena Lebo", None),
    ("caption", "Portrait of Tomas Berg", None),
    ("caption", "Ferries wait at the quay on Monday.", None),
    ("caption", "Ferries wait at the quay. Tomas Berg", None),
    ("caption", "Ferries wait at the quay - the new terminal", None),
    ("caption", "Ferries wait at the quay / the new terminal", None),
    ("caption", "Harbour cranes, Kyiv and/or Lviv", None),
    # a caption sentence that names a photographer's subject
    ("caption", "Photographer Jane Doe at work in the harbour (Reuters)", None),
    ("caption", "AP photographer Jane Doe walks along the quay", None),
    ("caption", "A photo by Jane Doe won the harbour prize.", None),
    ("caption", "Jane Doe photographs the flooded valley", None),
    ("caption", "The photo shows Jane Doe with her camera.", None),
    ("caption", "Photo: Jane Doe and her dog in the park", None),
    ("caption", "Picture by the sea at dawn", None),
    ("caption", "Copyright law reform protest in the square", None),
    ("caption", "Image of the week: storm over the bay", None),
    ("caption", "Smoke rises. MANDATORY CREDIT. Boats left the harbour.", None),
    # the controls of a picture or a gallery
    ("overlay", "Enlarge", None),
    ("overlay", "1 of 12", None),
    ("overlay", "0:49", None),
    ("overlay", "View 6 Images", None),
    ("overlay", "Hide caption", None),
    ("overlay", "Media playback is unsupported here", None),
    ("overlay", "Advertisement", None),
    ("overlay", "Video", None),
    # a byline, a dateline or a wire-service tag under the headline
    ("element", "By Jane Doe", None),
    ("element", "Reporting by Jane Doe and Tomas Berg", None),
    ("element", "Written by Ines Moreau", None),
    ("element", "© Provided by The Daily Ledger", None),
    ("line", "KYIV, Ukraine (AP) — Ferries left the port on Monday.", None),
    ("line", "LONDON, March 3 (Reuters) - The pound fell on Monday.", None),
    ("line", "(AP) — The pound fell on Monday.", None),
    ("caption", "WASHINGTON (Reuters)", None),
    ("line", "By Jane Doe, Reuters", None),
    ("line", "Jane Doe/AFP", None),
    ("line", "The port reopened on Monday after a week of storms.", None),
    # after the body, a label must name a picture: the site's own lines are no credit
    ("after-body", "© 2024 The Valley Herald. All rights reserved.", None),
    ("after-body", "Credit: additional reporting by Tomas Berg", None),
    ("after-body", "Copyright 2023 Harbour Media Group", None),
    # alt texts: a label before a description, a credit with no description
    ("alt", "Image: the house on the hill", None),
    ("alt", "Photo of the new ferry terminal", None),
    ("alt", "Getty Images", None),
    ("alt", "Ferries wait at the quay", None),
    ("alt", "Ferry strike ends after a week | The Daily Ledger", None),
    # labels with nothing after them, or a sentence
    ("element", "Photo:", None),
    ("element", "Credit", None),
    ("element", "the", None),
    ("element", "Ferries wait at the quay while the crew rests on deck", None),
]

ROWS = [*LABELS, *PLACES, *SHAPES, *NOTES_AND_TRAILERS, *NOT_CREDITS]


@pytest.mark.parametrize("kind, text, credit", ROWS)
def test_credit_grammar(kind: TextKind, text: str, credit: str | None) -> None:
    found = read_credit(text, kind, GRAMMAR)
    assert (found.credit if found else None) == credit


def test_the_table_covers_every_convention() -> None:
    assert len(ROWS) >= 150
    assert sum(1 for row in ROWS if row[2] is None) >= 30
    places = {
        found.place
        for kind, text, credit in ROWS
        if credit and (found := read_credit(text, kind, GRAMMAR))
    }
    assert places == {place.id for place in GRAMMAR.places}


@pytest.mark.parametrize(
    "text, caption",
    [
        ("Ferries wait at the quay. (Jane Doe/AFP)", "Ferries wait at the quay."),
        ("Ferries wait at the quay | Sahel Wire", "Ferries wait at the quay"),
        ("Photo: Jane Doe/AFP\nFerries wait at the quay.", "Ferries wait at the quay."),
        ("Ferries wait at the quay — Picture by Jane Doe", "Ferries wait at the quay"),
        ("Getty Images", ""),
    ],
)
def test_the_caption_keeps_its_own_words(text: str, caption: str) -> None:
    found = read_credit(text, "caption", GRAMMAR)
    assert found is not None and found.rest == caption
