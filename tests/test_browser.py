"""The built site in a real browser: headless Chromium over http.server on 127.0.0.1.

The output is served under a sub-path (/news/) to prove no link assumes the root. Screenshots
land in tests/artefacts/. Skips, saying why, only when no Chromium can be found.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from urllib.parse import urljoin

import pytest

from feedgen_pipeline import build
from feedgen_pipeline.config import with_overrides

from .conftest import FIXED_NOW, example_config

pytestmark = pytest.mark.browser
ARTEFACTS = Path(__file__).parent / "artefacts"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """(base URL, output folder) of the examples built and served under /news/."""
    root = tmp_path_factory.mktemp("served")
    port = _free_port()
    base = f"http://127.0.0.1:{port}/news/"
    config = with_overrides(example_config(root), output_dir=root / "www" / "news", base_url=base)
    site = replace(config.site, feed_stylesheet=True)  # off by default; its test needs it
    build(replace(config, state_dir=root / "state", site=site), now=FIXED_NOW)
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "http.server",
            str(port),
            "--bind",
            "127.0.0.1",
            "--directory",
            str(root / "www"),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "index.html", timeout=1).close()
                break
            except OSError:
                time.sleep(0.05)
        yield base, config.output_dir
    finally:
        server.terminate()
        server.wait(5)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if CHROMIUM is None:
        pytest.skip("no Chromium on this machine (.ci/run installs Debian's chromium package)")
    playwright_api = pytest.importorskip("playwright.sync_api")
    with playwright_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


def _status(url: str) -> int:
    with urllib.request.urlopen(url, timeout=5) as response:
        return int(response.status)


def _check_page(browser: object, url: str, base: str, shot: str) -> tuple[int, list[str]]:
    page = browser.new_page(viewport={"width": 390, "height": 844})  # type: ignore[attr-defined]
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    response = page.goto(url)
    assert response is not None and response.status == 200, url
    entries = page.locator("article").count()
    refs = page.eval_on_selector_all(
        "a[href], img[src], link[href]",
        "els => els.map(e => e.getAttribute('href') || e.getAttribute('src'))",
    )
    internal = sorted({urljoin(url, r) for r in refs if urljoin(url, r).startswith(base)})
    for link in internal:
        assert _status(link) == 200, (url, link)
    # readable at phone width: nothing wider than the viewport
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    ARTEFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTEFACTS / shot), full_page=True)
    page.close()
    assert errors == []
    return entries, internal


def test_index_tag_and_article_pages_render(browser: object, served: tuple[str, Path]) -> None:
    base, _ = served
    entries, links = _check_page(browser, base + "index.html", base, "index.png")
    assert entries == 10
    assert base + "countries/ru/index.html" in links
    entries, _ = _check_page(browser, base + "countries/ru/index.html", base, "tag-ru.png")
    assert entries >= 2
    entries, links = _check_page(
        browser, base + "articles/2026-01-15-gaza-talks.html", base, "article.png"
    )
    assert entries == 1
    assert base + "countries/eg/index.html" in links


def test_atom_feed_renders_through_its_stylesheet(
    browser: object, served: tuple[str, Path]
) -> None:
    base, _ = served
    page = browser.new_page()  # type: ignore[attr-defined]
    page.goto(base + "atom.xml")
    assert page.locator("#feed-title").inner_text() == "World Desk"
    assert page.locator("article.entry").count() == 10
    page.screenshot(path=str(ARTEFACTS / "atom.png"), full_page=True)
    page.close()
