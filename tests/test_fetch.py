"""Sources fetched over HTTP, against a server on 127.0.0.1 (never anywhere else)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from feedgen_pipeline import build, load_config
from feedgen_pipeline.cli import main
from feedgen_pipeline.config import Config
from feedgen_pipeline.errors import ConfigError
from feedgen_pipeline.extract import extract
from feedgen_pipeline.model import Source

from .conftest import FIXED_NOW
from .httpserver import (
    Reply,
    Server,
    endless,
    failing_first,
    page,
    redirect,
    static,
    with_etag,
    with_last_modified,
)

TEXT = (
    "Ministers from France and Germany met in Brussels on Tuesday to discuss energy prices.",
    "The talks ended without agreement, officials said, and will resume next month.",
)
FETCH = """\
fetch:
  contact: https://example.org/contact
  connect_timeout: 0.5
  read_timeout: 0.3
  retries: 1
  backoff: 0
  delay: 0
  allow_networks: [127.0.0.1]
"""


@pytest.fixture
def server() -> Iterator[Server]:
    s = Server()
    s.routes["/robots.txt"] = static(
        b"User-agent: *\nDisallow: /private/\n", "text/plain; charset=utf-8"
    )
    yield s
    s.close()


def write_config(tmp: Path, sources: str, fetch: str = FETCH) -> Path:
    path = tmp / "config.yaml"
    path.write_text(
        "feed:\n  title: Fetched\n  base_url: https://example.org/f/\n"
        f"sources:\n{sources}{fetch}output:\n  dir: out\n  state_dir: state\n",
        "utf-8",
    )
    return path


def urls_source(server: Server, *paths: str, extra: str = "") -> str:
    lines = "".join(f"      - {server.url(p)}\n" for p in paths)
    return f"  - id: pages\n    type: urls\n{extra}    urls:\n{lines}"


def run(config: Config, **options: Any) -> Any:
    return build(config, now=FIXED_NOW, **options)


def items(config: Config) -> dict[str, dict[str, Any]]:
    feed = json.loads((config.output_dir / "feed.json").read_text("utf-8"))
    return {item["_enrichment"]["source"]: item for item in feed["items"]}


def reasons(result: Any) -> dict[str, str]:
    return {s.source: s.reason for s in result.skipped}


# ---------------------------------------------------------------- config


def test_config_errors_name_file_line_and_key(tmp_path: Path) -> None:
    path = write_config(
        tmp_path,
        "  - id: a\n    type: sitemap\n    url: ftp://example.org/s.xml\n    limit: 0\n"
        "  - id: b\n    type: urls\n    since: 2026-01-01\n"
        "  - id: c\n    type: ftp\n    path: x\n",
        "fetch:\n  retries: -1\n  allow_networks: [not-an-address]\n",
    )
    with pytest.raises(ConfigError) as e:
        load_config(path)
    text = str(e.value)
    assert f"{path}:7: sources[0].url: expected an absolute http(s) URL" in text
    assert f"{path}:8: sources[0].limit: must be at least 1" in text
    assert "sources[1].since: unknown key" in text
    assert "sources[1].urls: give `urls` (a list) or `file`" in text
    known = "(known: folder, articles, urls, sitemap, feed)"
    assert f"sources[2].type: unknown source type 'ftp' {known}" in text

    assert "fetch.retries: must be at least 0" in text
    assert "fetch.allow_networks[0]: expected an address or a network" in text


def test_urls_from_a_file(tmp_path: Path, server: Server) -> None:
    server.routes["/a.html"] = static(page("Energy talks in Brussels", *TEXT))
    (tmp_path / "urls.txt").write_text(f"# pages\n\n{server.url('/a.html')}\n", "utf-8")
    config = load_config(write_config(tmp_path, "  - id: p\n    type: urls\n    file: urls.txt\n"))
    result = run(config)
    assert result.exit_code == 0, result.skipped
    assert list(items(config)) == [server.url("/a.html")]


# ---------------------------------------------------------------- pages: every outcome


def test_every_outcome_of_a_page(tmp_path: Path, server: Server) -> None:
    r = server.routes
    r["/etag.html"] = with_etag(page("Energy talks in Brussels", *TEXT), '"v1"')
    r["/modified.html"] = with_last_modified(
        page(
            "Grain deal extended",
            "Turkey and Ukraine agreed to extend the grain corridor.",
            "Shipping resumed from Odesa on Monday, port officials said.",
        ),
        "Wed, 01 Apr 2026 10:00:00 GMT",
    )
    r["/missing.html"] = lambda request: Reply(404, b"gone")
    r["/flaky.html"] = failing_first(page("Sanctions widened", *TEXT[::-1]))
    r["/loop1"] = redirect("/loop2")
    r["/loop2"] = redirect("/loop1")
    r["/slow.html"] = lambda request: Reply(200, page("Late", *TEXT), {}, delay=1.0)
    r["/photo.png"] = static(b"\x89PNG\r\n\x1a\n", "image/png")
    r["/endless.html"] = lambda request: Reply(
        200, headers={"Content-Type": "text/html"}, stream=endless()
    )
    r["/private/secret.html"] = static(page("Secret", *TEXT))
    r["/moved.html"] = redirect("/final.html", 301)
    r["/final.html"] = static(
        page(
            "Arctic council meets",
            "Norway and Canada met at the Arctic Council in Tromsø.",
            "Russia was not invited, diplomats said.",
            head='<meta property="og:image" content="/img/lead.jpg">',
        )
    )
    r["/cyrillic.html"] = static(
        page(
            "Переговоры в Москве",
            "Министры России и Казахстана встретились в Москве.",
            "Переговоры продолжатся в следующем месяце.",
        )
        .replace(b"utf-8", b"koi8-r")
        .decode()
        .encode("cp1251"),
        "text/html; charset=windows-1251",
    )
    paths = (
        "/etag.html",
        "/modified.html",
        "/missing.html",
        "/flaky.html",
        "/loop1",
        "/slow.html",
        "/photo.png",
        "/endless.html",
        "/private/secret.html",
        "/moved.html",
        "/cyrillic.html",
    )
    config = load_config(
        write_config(tmp_path, urls_source(server, *paths, extra="    max_bytes: 100000\n"))
    )
    result = run(config)
    u = server.url
    why = reasons(result)
    assert why[u("/missing.html")] == "HTTP 404 Not Found"
    assert why[u("/loop1")].startswith("redirect loop at ")
    assert why[u("/slow.html")].startswith("timed out")
    assert why[u("/photo.png")] == "unexpected content type image/png"
    assert why[u("/endless.html")].startswith("larger than the size limit (100,000 bytes")
    assert why[u("/private/secret.html")].startswith("disallowed by robots.txt")
    assert len(why) == 6 and result.exit_code == 1
    assert not server.hits("/private/secret.html")  # robots.txt is read before, not after
    assert [h.status for h in server.hits("/flaky.html")] == [500, 200]

    shown = items(config)
    assert set(shown) == {
        u(p)
        for p in ("/etag.html", "/modified.html", "/flaky.html", "/moved.html", "/cyrillic.html")
    }
    moved = shown[u("/moved.html")]
    assert moved["url"] == u("/final.html")  # no canonical link: the final URL
    assert moved["image"] == u("/img/lead.jpg")  # links made absolute
    assert moved["_enrichment"]["fetched"] is True
    assert shown[u("/cyrillic.html")]["title"] == "Переговоры в Москве"  # the header's charset
    agent = server.hits("/etag.html")[0].headers["user-agent"]
    assert agent.startswith("feedgen-pipeline/") and "https://example.org/contact" in agent

    # the next run: conditional GETs, 304s parse nothing; failures are named again
    before = len(server.log)
    again = run(config)
    assert [h.status for h in server.hits("/etag.html")] == [200, 304]
    assert [h.status for h in server.hits("/modified.html")] == [200, 304]
    assert server.hits("/etag.html")[1].headers["if-none-match"] == '"v1"'
    assert again.counts.new == again.counts.updated == 0
    assert reasons(again) == why
    assert again.written == ()
    assert len(server.log) > before


def test_a_page_that_fails_keeps_its_last_good_version(tmp_path: Path, server: Server) -> None:
    good = static(page("Energy talks in Brussels", *TEXT))
    server.routes["/a.html"] = good
    config = load_config(write_config(tmp_path, urls_source(server, "/a.html")))
    assert run(config).exit_code == 0
    server.routes["/a.html"] = lambda request: Reply(503, b"down")
    result = run(config)
    assert result.exit_code == 1
    assert reasons(result) == {
        server.url("/a.html"): "HTTP 503 Service Unavailable; its last good version stays published"
    }
    assert list(items(config)) == [server.url("/a.html")]
    assert [h.status for h in server.hits("/a.html")] == [200, 503, 503]  # one retry
    server.routes["/a.html"] = good
    assert run(config).exit_code == 0


def test_a_changed_page_is_parsed_again(tmp_path: Path, server: Server) -> None:
    server.routes["/a.html"] = static(page("Energy talks in Brussels", *TEXT))
    config = load_config(write_config(tmp_path, urls_source(server, "/a.html")))
    run(config)
    server.routes["/a.html"] = static(page("Energy talks collapse in Brussels", *TEXT))
    result = run(config)
    assert result.counts.updated == 1
    assert items(config)[server.url("/a.html")]["title"] == "Energy talks collapse in Brussels"


def test_a_fetched_page_is_dated_from_when_it_was_served(tmp_path: Path, server: Server) -> None:
    # a line under the headline tells the date from the moment the page was made; the server's
    # Date says when that was; a 304 later (today's Date) changes nothing, nor a rebuild from the
    # cache; the same bytes saved as a file are not dated
    body = page("Energy talks in Brussels", "Von Eva Muster, vor 3 Tagen", *TEXT)

    def route(request: dict[str, str]) -> Reply:
        if request.get("if-none-match") == '"v1"':
            return Reply(304, headers={"ETag": '"v1"'})
        sent = {"Date": "Sun, 29 Mar 2026 22:15:00 GMT", "ETag": '"v1"'}
        return Reply(200, body, {"Content-Type": "text/html; charset=utf-8", **sent})

    server.routes["/a.html"] = route
    config = load_config(write_config(tmp_path, urls_source(server, "/a.html")))
    assert run(config).exit_code == 0
    assert items(config)[server.url("/a.html")]["date_published"] == "2026-03-26T00:00:00+00:00"
    run(config)
    assert [h.status for h in server.hits("/a.html")] == [200, 304]
    run(config, offline=True, rebuild=True)
    assert items(config)[server.url("/a.html")]["date_published"] == "2026-03-26T00:00:00+00:00"
    assert (
        extract(Source(tmp_path / "saved.html", "saved.html", body), config.rules).published is None
    )


# ---------------------------------------------------------------- sitemaps and feeds


def sitemap(*entries: tuple[str, str]) -> bytes:
    urls = "".join(f"<url><loc>{loc}</loc><lastmod>{date}</lastmod></url>" for loc, date in entries)
    return (
        '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"{urls}</urlset>"
    ).encode()


def test_sitemap_index_with_two_sitemaps(tmp_path: Path, server: Server) -> None:
    u = server.url
    server.routes["/sitemap.xml"] = static(
        (
            '<?xml version="1.0"?><sitemapindex '
            'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            "<sitemap><loc>/sitemap-1.xml</loc></sitemap>"
            f"<sitemap><loc>{u('/sitemap-2.xml')}</loc></sitemap></sitemapindex>"
        ).encode(),
        "application/xml",
    )
    server.routes["/sitemap-1.xml"] = static(
        sitemap((u("/s/1.html"), "2026-03-01"), (u("/s/2.html"), "2026-03-05")), "text/xml"
    )
    # a Google News sitemap: the publication date counts
    server.routes["/sitemap-2.xml"] = static(
        (
            '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
            'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">'
            f"<url><loc>{u('/s/3.html')}</loc><news:news><news:publication_date>"
            "2026-03-10T08:00:00Z</news:publication_date></news:news></url>"
            f"<url><loc>{u('/s/4.html')}</loc><lastmod>2025-12-01</lastmod></url></urlset>"
        ).encode(),
        "application/xml",
    )
    titles = {1: "Oil output cut", 2: "Lithium deal signed", 3: "Grain corridor", 4: "Old news"}
    for n, title in titles.items():
        server.routes[f"/s/{n}.html"] = static(page(title, *TEXT, f"Item {n}."))
    config = load_config(
        write_config(
            tmp_path,
            f"  - id: site\n    type: sitemap\n    url: {u('/sitemap.xml')}\n"
            "    since: 2026-01-01\n    limit: 2\n",
        )
    )
    result = run(config)
    assert result.exit_code == 0, result.skipped
    # since drops /s/4 (December), limit keeps the two newest of the rest
    assert set(items(config)) == {u("/s/2.html"), u("/s/3.html")}
    assert not server.hits("/s/1.html") and not server.hits("/s/4.html")


def sitemap_site(tmp_path: Path, server: Server) -> Config:
    """A sitemap of three pages, built once."""
    u = server.url
    server.routes["/sitemap.xml"] = static(
        sitemap(*((u(f"/s/{n}.html"), f"2026-03-0{n}") for n in (1, 2, 3))), "application/xml"
    )
    for n in (1, 2, 3):
        server.routes[f"/s/{n}.html"] = static(page(f"Story {n} from Peru", *TEXT))
    config = load_config(
        write_config(tmp_path, f"  - id: site\n    type: sitemap\n    url: {u('/sitemap.xml')}\n")
    )
    assert run(config).exit_code == 0
    assert len(items(config)) == 3
    return config


def test_a_sitemap_that_no_longer_parses_uses_its_last_good_copy(
    tmp_path: Path, server: Server
) -> None:
    config = sitemap_site(tmp_path, server)
    server.routes["/sitemap.xml"] = static(b"<html>Service unavailable</html>", "text/xml")
    result = run(config)
    assert result.exit_code == 1
    [(url, reason)] = reasons(result).items()
    assert url == server.url("/sitemap.xml") and reason.endswith("; its last good copy is used")
    assert len(items(config)) == 3  # nothing lost
    result = run(config)  # the broken copy was not kept in its place
    assert result.exit_code == 1 and len(items(config)) == 3


def test_a_sitemap_without_any_copy_removes_none_of_its_pages(
    tmp_path: Path, server: Server
) -> None:
    config = sitemap_site(tmp_path, server)
    (config.state_dir / "http.sqlite").unlink()  # the cache lost
    server.routes["/sitemap.xml"] = lambda request: Reply(503, b"down")
    result = run(config)
    assert result.exit_code == 1
    assert reasons(result) == {server.url("/sitemap.xml"): "HTTP 503 Service Unavailable"}
    assert result.counts.removed == 0
    assert len(items(config)) == 3  # nothing lost
    server.routes["/sitemap.xml"] = static(
        sitemap((server.url("/s/1.html"), "2026-03-01")), "application/xml"
    )
    result = run(config)  # the sitemap back, with one page: the two others are removed now
    assert result.exit_code == 0 and result.counts.removed == 2
    assert list(items(config)) == [server.url("/s/1.html")]


RSS = """<?xml version="1.0"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>
<title>Upstream</title><link>{base}/</link><description>d</description>
<item><title>Oil output cut</title><link>{base}/news/1.html</link>
 <pubDate>Mon, 02 Mar 2026 09:00:00 GMT</pubDate><description>Short one.</description></item>
<item><title>Lithium deal signed</title><link>/news/2.html</link>
 <pubDate>Tue, 03 Mar 2026 09:00:00 GMT</pubDate><description>Short two.</description></item>
<item><title>Grain corridor reopens in the Black Sea</title><link>{base}/news/3.html</link>
 <pubDate>Wed, 04 Mar 2026 09:00:00 GMT</pubDate>
 <description>&lt;p&gt;Ukraine and &lt;b&gt;Turkey&lt;/b&gt; reopened the grain corridor on
 Wednesday.&lt;/p&gt;</description>
 <content:encoded><![CDATA[<p>Ukraine and Turkey reopened the grain corridor on Wednesday.</p>
 <p>Ships left Odesa under Turkish escort, officials in Ankara said.</p>]]></content:encoded>
</item></channel></rss>"""


def test_upstream_feed_entries_fetched_and_enriched(tmp_path: Path, server: Server) -> None:
    u = server.url
    server.routes["/feed.xml"] = static(
        RSS.format(base=server.base).encode(), "application/rss+xml"
    )
    server.routes["/news/1.html"] = static(
        page(
            "Opec agrees to cut oil output",
            "Saudi Arabia and Russia led the cut in Vienna.",
            "Prices rose after the meeting, traders said.",
        )
    )
    server.routes["/news/2.html"] = static(
        page(
            "Chile signs lithium deal",
            "Chile and Argentina signed a lithium accord.",
            "The deal covers the Andes salt flats, ministers said.",
        )
    )
    # /news/3.html is a 404: the entry's own text stands in for it
    config = load_config(
        write_config(tmp_path, f"  - id: up\n    type: feed\n    url: {u('/feed.xml')}\n")
    )
    result = run(config)
    assert result.exit_code == 0, result.skipped
    assert any("/news/3.html: HTTP 404" in w and "entry's own text" in w for w in result.warnings)
    shown = items(config)
    assert set(shown) == {u("/news/1.html"), u("/news/2.html"), u("/news/3.html")}
    assert shown[u("/news/1.html")]["title"] == "Opec agrees to cut oil output"
    assert shown[u("/news/1.html")]["_enrichment"]["fetched"] is True
    fallback = shown[u("/news/3.html")]
    assert fallback["_enrichment"]["fetched"] is False
    assert fallback["title"] == "Grain corridor reopens in the Black Sea"
    assert fallback["url"] == u("/news/3.html")
    assert fallback["date_published"] == "2026-03-04T09:00:00+00:00"
    assert "Odesa" in fallback["content_html"]
    # the entry's HTML summary, as plain text
    assert fallback["summary"] == "Ukraine and Turkey reopened the grain corridor on Wednesday."
    assert {c["code"] for c in fallback["_enrichment"]["countries"]} >= {"UA", "TR"}


def test_a_failing_feed_uses_its_last_good_copy(tmp_path: Path, server: Server) -> None:
    u = server.url
    server.routes["/feed.xml"] = static(RSS.format(base=server.base).encode(), "text/xml")
    for n in (1, 2, 3):
        server.routes[f"/news/{n}.html"] = static(page(f"Story {n} from Kenya", *TEXT))
    config = load_config(
        write_config(tmp_path, f"  - id: up\n    type: feed\n    url: {u('/feed.xml')}\n")
    )
    assert run(config).exit_code == 0
    server.routes["/feed.xml"] = lambda request: Reply(500, b"oops")
    result = run(config)
    assert result.exit_code == 1
    assert reasons(result) == {
        u("/feed.xml"): "HTTP 500 Internal Server Error; its last good copy is used"
    }
    assert len(items(config)) == 3  # nothing lost


# ---------------------------------------------------------------- the host's own network


def test_loopback_refused_without_allow(tmp_path: Path, server: Server) -> None:
    server.routes["/a.html"] = static(page("Energy talks in Brussels", *TEXT))
    fetch = FETCH.replace("  allow_networks: [127.0.0.1]\n", "")
    config = load_config(write_config(tmp_path, urls_source(server, "/a.html"), fetch))
    result = run(config)
    assert result.exit_code == 1
    reason = reasons(result)[server.url("/a.html")]
    assert reason.startswith("refused: 127.0.0.1 resolves to 127.0.0.1, a private, loopback")
    assert server.log == []  # not even robots.txt


def test_a_redirect_into_the_host_network_is_refused(tmp_path: Path, server: Server) -> None:
    server.routes["/go.html"] = redirect("http://10.1.2.3/admin")
    server.routes["/ftp.html"] = redirect("ftp://127.0.0.1/file")
    config = load_config(write_config(tmp_path, urls_source(server, "/go.html", "/ftp.html")))
    why = reasons(run(config))
    assert "10.1.2.3, a private" in why[server.url("/go.html")]
    assert "only http and https" in why[server.url("/ftp.html")]


# ---------------------------------------------------------------- offline and cron


def test_offline_uses_cached_pages_only(tmp_path: Path, server: Server) -> None:
    server.routes["/a.html"] = static(page("Energy talks in Brussels", *TEXT))
    config = load_config(write_config(tmp_path, urls_source(server, "/a.html")))
    run(config)
    server.close()
    more = load_config(write_config(tmp_path, urls_source(server, "/a.html", "/b.html")))
    result = run(more, offline=True)
    assert reasons(result) == {server.url("/b.html"): "not in the cache (--offline)"}
    assert list(items(more)) == [server.url("/a.html")]
    # a rebuild from the cache alone parses the cached bytes again
    assert run(replace(more, remote=more.remote), offline=True, rebuild=True).counts.new == 0


def test_a_dry_run_names_what_it_would_fetch(tmp_path: Path, server: Server) -> None:
    server.routes["/a.html"] = static(page("Energy talks in Brussels", *TEXT))
    config = load_config(write_config(tmp_path, urls_source(server, "/a.html")))
    result = run(config, dry_run=True)
    assert reasons(result) == {server.url("/a.html"): "not fetched yet (a dry run fetches nothing)"}
    assert server.log == [] and not (tmp_path / "out").exists()


def test_cron_second_run_all_304_writes_nothing(
    tmp_path: Path, server: Server, capsys: pytest.CaptureFixture[str]
) -> None:
    u = server.url
    server.routes["/feed.xml"] = with_etag(
        RSS.format(base=server.base).encode(), '"f1"', "application/rss+xml"
    )
    for n in (1, 2, 3):
        server.routes[f"/news/{n}.html"] = with_etag(
            page(f"Story {n} from Kenya", *TEXT, f"Part {n}."), f'"n{n}"'
        )
    path = write_config(
        tmp_path,
        f"  - id: up\n    type: feed\n    url: {u('/feed.xml')}\n"
        + urls_source(server, "/news/1.html").replace("id: pages", "id: extra"),
    )
    assert main(["build", "--config", str(path), "--quiet", "--jobs", "1"]) == 0
    files = {p: p.stat().st_mtime_ns for p in tmp_path.rglob("*") if p.is_file()}
    server.log.clear()
    assert main(["build", "--config", str(path), "--jobs", "1"]) == 0
    pages = [h for h in server.log if h.path != "/robots.txt"]
    assert pages and all(h.status == 304 for h in pages)
    assert "0 new, 0 updated, 3 unchanged" in capsys.readouterr().err
    lock = tmp_path / "state" / "lock"
    after = {p: p.stat().st_mtime_ns for p in tmp_path.rglob("*") if p.is_file() and p != lock}
    assert after == {p: t for p, t in files.items() if p != lock}


def test_folder_only_runs_import_no_network_code() -> None:
    import subprocess
    import sys

    from .conftest import REPO

    code = (
        "import sys; from feedgen_pipeline.cli import main\n"
        f"main(['build', '--config', {str(REPO / 'config.yaml')!r}, '--dry-run', '--quiet'])\n"
        "network = ('httpx', 'feedgen_pipeline.remote.c')\n"
        "print(sorted(m for m in sys.modules if m.startswith(network)))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, check=False
    )
    assert out.stdout.strip().splitlines()[-1] == "[]", out.stderr
