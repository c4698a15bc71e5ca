"""A hostile corpus, written by code at test time (no binary fixtures in the repository).

``write_corpus(folder)`` writes the files and returns, for each, what the pipeline must make of
it: ``Expect.article(...)`` with checks on the article, or ``Expect.skip(reason words)``.
"""

from __future__ import annotations

import os
import random
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from feedgen_pipeline.model import Article

BODY = "Officials in Chile said on Monday that the talks with Peru would go on."


@dataclass(frozen=True)
class Expect:
    skip: str | None = None
    """Words the skip reason must contain; None when an article must come out."""
    check: Callable[[Article], bool] | None = None

    @staticmethod
    def article(check: Callable[[Article], bool] = lambda a: True) -> Expect:
        return Expect(None, check)


def _page(title: str, body: str, head: str = "") -> str:
    return (
        f"<html><head>{head}<title>{title}</title></head><body><h1>{title}</h1>{body}</body></html>"
    )


def write_corpus(folder: Path) -> dict[str, Expect]:
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(7)
    files: dict[str, tuple[bytes, Expect]] = {
        "empty.html": (b"", Expect(skip="empty file")),
        "binary.html": (
            bytes(rng.randrange(256) for _ in range(4000)) + b"\x00" * 10,
            Expect(skip="binary data"),
        ),
        "truncated.html": (
            b"<html><head><title>Cut short</title></head><body><h1>Cut short</h1><p>"
            + BODY.encode()
            + b"</p><p>And then the file ends in the mid",
            Expect.article(lambda a: a.headline == "Cut short" and a.paragraphs[0] == BODY),
        ),
        "deep.html": (
            ("<div>" * 10_000 + f"<p>{BODY}</p>" + "</div>" * 10_000).encode(),
            Expect.article(lambda a: BODY in a.paragraphs),
        ),
        "utf16.html": (
            _page("Москва и Сантьяго", f"<p>{BODY} Россия.</p>").encode("utf-16"),
            Expect.article(lambda a: a.headline == "Москва и Сантьяго"),
        ),
        "cp1252-no-meta.txt": (
            "Café talks – “Chile” and Perú\n\nA short dek.\n\nBody about Chile.\n".encode("cp1252"),
            Expect.article(lambda a: a.headline == "Café talks – “Chile” and Perú"),
        ),
        "cp1251-meta.html": (
            _page(
                "Переговоры в Москве",
                "<p>Министр сказал, что переговоры продолжатся.</p>",
                '<meta charset="windows-1251">',
            ).encode("cp1251"),
            Expect.article(lambda a: a.headline == "Переговоры в Москве"),
        ),
        "cp1251-no-meta.txt": (
            (
                "Переговоры в Москве продолжаются\n\nКраткое описание новости.\n\n"
                "Министр иностранных дел заявил, что переговоры о торговле продолжатся "
                "на следующей неделе в столице.\n"
            ).encode("cp1251"),
            Expect.article(lambda a: a.headline == "Переговоры в Москве продолжаются"),
        ),
        "wrong-meta.html": (
            _page(
                "Zürich – “Gespräche”",
                "<p>Die Gespräche gehen weiter.</p>",
                '<meta charset="utf-8">',
            ).encode("cp1252"),
            Expect.article(lambda a: a.headline == "Zürich – “Gespräche”"),
        ),
        "control-chars.txt": (
            b"Head\x00line\x01 with\x0b junk\n\nDek\x1f here.\n\nBody \x7f about Chile.\n",
            Expect.article(
                lambda a: (
                    a.headline == "Headline with junk" and all(ord(c) >= 0x20 for c in a.summary)
                )
            ),
        ),
        # UTF-8 but for a stray NUL, a few controls and an encoded lone surrogate: text still
        "mostly-utf8.txt": (
            "Perú and Chile — talks resume\n\nA short dek for the talks.\n\n".encode()
            + "Ministers met in Lima on Monday.\x00 The “first round” ended\x01\x02 late.".encode()
            + b" \xed\xa0\x80"
            + " Officials in Santiago said the next round would be in Perú.\x1f\n".encode(),
            Expect.article(
                lambda a: (
                    a.headline == "Perú and Chile — talks resume"
                    and a.paragraphs[0].startswith("Ministers met in Lima on Monday. The “first")
                    and "Perú." in a.paragraphs[0]
                    and all(
                        ord(c) >= 0x20 and not 0xD800 <= ord(c) < 0xE000
                        for p in a.paragraphs
                        for c in p
                    )
                )
            ),
        ),
        "surrogates.html": (
            (
                b'<script type="application/ld+json">{"@type": "NewsArticle", '
                b'"headline": "Lone \\ud800 surrogate", "author": {"name": "Ann \\udc00 Lee"}}'
                b"</script><p>" + BODY.encode() + b"</p>"
            ),
            Expect.article(lambda a: a.headline == "Lone surrogate" and a.authors == ("Ann Lee",)),
        ),
        "long-headline.txt": (
            ("word " * 4000 + "\n\nDek.\n\n" + BODY + "\n").encode(),
            Expect.article(lambda a: len(a.headline) <= 300 and a.headline.endswith("…")),
        ),
        "punctuation-headline.txt": (
            (
                "!!! … ???\n\nDek sentence here.\n\nThe minister in Lima spoke of Bolivia.\n"
            ).encode(),
            Expect.article(lambda a: a.headline != "!!! … ???"),
        ),
        "no-text.html": (
            b"<html><body><img src='x.jpg'><script>x()</script></body></html>",
            Expect(skip="no headline and no text"),
        ),
        "same-url-1.html": (
            _page(
                "First copy", f"<p>{BODY}</p>", '<link rel="canonical" href="https://x.example/a">'
            ).encode(),
            Expect.article(lambda a: a.headline == "First copy"),
        ),
        "same-url-2.html": (
            _page(
                "Second copy", f"<p>{BODY}</p>", '<link rel="canonical" href="https://x.example/a">'
            ).encode(),
            Expect(skip="duplicate of same-url-1.html"),
        ),
        "name with spaces é.txt": (
            ("Spaces and accents\n\nDek.\n\n" + BODY + "\n").encode(),
            Expect.article(),
        ),
        "new\nline.txt": (
            ("A newline in the name\n\nDek.\n\n" + BODY + "\n").encode(),
            Expect.article(),
        ),
        "bad-url.html": (
            _page(
                "Bad link",
                f"<p>{BODY}</p>",
                '<link rel="canonical" href="javascript:alert(1)">'
                '<meta property="og:image" content="https://x.example/a b.jpg">',
            ).encode(),
            Expect.article(lambda a: a.url is None and (a.image is None or a.image.url is None)),
        ),
        "script-in-text.txt": (
            (
                b"<script>alert(1)</script> headline\n\nDek.\n\n"
                b"<img src=x onerror=alert(1)> and <a href='javascript:x'>link</a>.\n"
            ),
            Expect.article(),
        ),
    }
    for name, (data, _) in files.items():
        (folder / name).write_bytes(data)
    expected = {name: expect for name, (_, expect) in files.items()}
    # a link to itself (a loop) and a link to nowhere: named, not fatal
    os.symlink("loop.html", folder / "loop.html")
    os.symlink("missing-target.html", folder / "dangling.html")
    expected["loop.html"] = Expect(skip="cannot read")
    expected["dangling.html"] = Expect(skip="cannot read")
    # a folder that links back to its parent: not followed, so the walk ends
    os.symlink(".", folder / "cycle")
    # 50 MB, sparse: over the size limit, so never read
    with open(folder / "huge.html", "wb") as f:
        f.truncate(50_000_000)
    expected["huge.html"] = Expect(skip="larger than the size limit")
    # a pipe with an article's name: reading it would block forever
    os.mkfifo(folder / "pipe.txt")
    expected["pipe.txt"] = Expect(skip="not a regular file")
    return expected
