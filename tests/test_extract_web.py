"""extract --output-dir over pages named by http(s) URLs: each page is fetched as a fetching
source's page is (robots.txt, the config's fetch settings, the server's charset and URL), in
this process or on the workers of a cluster, and a page that cannot be fetched is a skipped
page named with the reason."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from feedgen_pipeline import build
from feedgen_pipeline.api import article_from_json, load_rules
from feedgen_pipeline.extraction import Fetching, finish, plan, run_here
from feedgen_pipeline.model import Article

from .conftest import FIXED_NOW
from .httpserver import Reply, Server, static
from .test_articles import articles_config, extract_to, lines
from .test_fetch import FETCH, write_config

PAGE = (
    "<html><head><title>Talks in Paris</title></head><body><article>"
    "<h1>Ministers meet in Paris over grain exports</h1>"
    "<p>Ministers from France and Kenya met in Paris on Tuesday to discuss grain exports, "
    "officials said after the talks.</p>"
    "<p>The talks will resume next month in Bogotá, the French ministry said.</p>"
    "</article></body></html>"
)
TEXT = (
    "Chile and Peru sign a fishing accord\n\n"
    "Chile and Peru signed an accord on fishing rights on Monday, both governments said.\n\n"
    "The accord covers the waters off the coast of both countries for ten years.\n"
)


@pytest.fixture
def server() -> Iterator[Server]:
    s = Server()
    s.routes["/robots.txt"] = static(b"User-agent: *\nDisallow: /private/\n", "text/plain")
    # a page in Latin-1 whose server names the charset, the page itself none
    s.routes["/news/paris.html"] = static(PAGE.encode("latin-1"), "text/html; charset=iso-8859-1")
    s.routes["/news/accord"] = static(TEXT.encode(), "text/plain; charset=utf-8")
    s.routes["/private/secret.html"] = static(PAGE.encode())
    s.routes["/gone.html"] = lambda request: Reply(404, b"not here")
    yield s
    s.close()


def _list(tmp: Path, server: Server) -> Path:
    listed = tmp / "pages.txt"
    paths = ("/news/paris.html", "/news/accord", "/private/secret.html", "/gone.html")
    listed.write_text("".join(f"{server.url(p)}\n" for p in paths), "utf-8")
    return listed


def _articles(folder: Path) -> dict[str, Article]:
    return {a.id: a for a in (article_from_json(line) for line in lines(folder))}


def test_listed_web_pages_are_fetched_politely_and_named_when_they_fail(
    tmp_path: Path, server: Server, capsys: pytest.CaptureFixture[str]
) -> None:
    config = write_config(tmp_path, "  - path: .\n", FETCH)
    listed = _list(tmp_path, server)
    out = tmp_path / "parts"
    code = extract_to(out, options=("--list", str(listed), "--config", str(config)))
    assert code == 1
    err = capsys.readouterr().err
    assert f"skipped: {server.url('/private/secret.html')}: " in err
    assert "robots.txt" in err
    assert f"skipped: {server.url('/gone.html')}: HTTP 404" in err

    found = _articles(out)
    paris, accord = found[server.url("/news/paris.html")], found[server.url("/news/accord")]
    assert paris.url == server.url("/news/paris.html") and paris.fetched is True
    assert "France" in {c.name for c in paris.tagged_countries}
    # read in the charset the server named (the page names none)
    assert paris.paragraphs[1].startswith("The talks will resume next month in Bogotá,")
    assert accord.headline == "Chile and Peru sign a fishing accord"
    assert {c.name for c in accord.tagged_countries} >= {"Chile", "Peru"}

    # robots.txt once for the host, the private page never asked for, and who fetches named
    assert len(server.hits("/robots.txt")) == 1
    assert server.hits("/private/secret.html") == []
    agent = server.hits("/news/paris.html")[0].headers["user-agent"]
    assert "https://example.org/contact" in agent

    # published as any articles: the fetched page's entry links to where it was served
    site = articles_config(tmp_path / "site", out)
    result = build(site, now=FIXED_NOW)
    assert result.counts.new == 2
    feed = json.loads((site.output_dir / "feed.json").read_text("utf-8"))
    assert server.url("/news/paris.html") in {item["url"] for item in feed["items"]}


def test_a_web_page_without_a_config_is_skipped_saying_why(tmp_path: Path, server: Server) -> None:
    job = plan([server.url("/news/accord")], [], str(tmp_path / "parts"), load_rules())
    result = finish(job, run_here(job))
    assert (result.articles, [s.source for s in result.skipped]) == (
        0,
        [server.url("/news/accord")],
    )
    assert "needs a config" in result.skipped[0].reason
    assert server.log == []


def test_cluster_workers_fetch_what_one_process_fetches(tmp_path: Path, server: Server) -> None:
    distributed = pytest.importorskip("distributed")
    from feedgen_pipeline.cluster import run_on_cluster
    from feedgen_pipeline.config import load_config

    config = load_config(write_config(tmp_path, "  - path: .\n", FETCH))
    fetching = Fetching(config.fetch, "https://example.org/contact")
    listed = str(_list(tmp_path, server))
    here = plan([], [listed], str(tmp_path / "here"), config.rules, fetching=fetching)
    finish(here, run_here(here))
    there = plan([], [listed], str(tmp_path / "there"), config.rules, fetching=fetching)
    with distributed.LocalCluster(
        n_workers=2, processes=False, threads_per_worker=1, dashboard_address=":0"
    ) as local:
        result = finish(there, run_on_cluster(local.scheduler_address, there))
    assert (result.pages, result.articles, len(result.skipped)) == (4, 2, 2)
    assert lines(tmp_path / "there") == lines(tmp_path / "here")
