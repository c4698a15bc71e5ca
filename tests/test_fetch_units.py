"""The fetcher's parts one by one: the address guard, backoff, per-host spacing, sitemaps and
feeds parsed from bytes. Requests go to a server on 127.0.0.1 or nowhere."""

from __future__ import annotations

import ipaddress
import sqlite3
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from feedgen_pipeline.config.fetch import FetchConfig
from feedgen_pipeline.model import Source, parse_date
from feedgen_pipeline.records import PageInfo
from feedgen_pipeline.remote.cache import DB_NAME, PAGES, HttpCache, body_name
from feedgen_pipeline.remote.client import Fetcher, FetchError
from feedgen_pipeline.remote.discover import Link, chosen, parse_feed
from feedgen_pipeline.remote.guard import Refused, check_url
from feedgen_pipeline.remote.page import declared_url, prepare

from .httpserver import Reply, Server, failing_first, page, static

LOCAL = (ipaddress.ip_network("127.0.0.1/32"),)


def fake(*addresses: str):  # type: ignore[no-untyped-def]
    return lambda host, port: list(addresses)


@pytest.mark.parametrize(
    "addresses",
    [
        ("10.0.0.1",),
        ("192.168.1.1",),
        ("169.254.169.254",),  # cloud metadata
        ("::1",),
        ("fe80::1%eth0",),
        ("::ffff:127.0.0.1",),
        ("93.184.215.14", "172.16.0.5"),  # one public and one private: refused
        ("0.0.0.0",),
    ],
)
def test_internal_addresses_refused(addresses: tuple[str, ...]) -> None:
    with pytest.raises(Refused, match="private, loopback or link-local"):
        check_url("http://news.example/a", (), fake(*addresses))


def test_public_and_allowed_addresses_pass() -> None:
    assert check_url("https://news.example/a", (), fake("93.184.215.14"))
    assert check_url("http://127.0.0.1:8000/a", LOCAL, fake("127.0.0.1"))
    with pytest.raises(Refused, match="only http and https"):
        check_url("file:///etc/passwd", LOCAL, fake("127.0.0.1"))
    with pytest.raises(Refused, match="cannot resolve"):
        check_url("http://nowhere.invalid/", (), fake())


@pytest.fixture
def server() -> Iterator[Server]:
    s = Server()
    yield s
    s.close()


def fetcher(sleeps: list[float], **config: object) -> Fetcher:
    settings = {"allow_networks": LOCAL, "backoff": 0.5, "retries": 2, "delay": 0.0, **config}
    return Fetcher(
        FetchConfig(**settings),  # type: ignore[arg-type]
        "https://example.org/contact",
        sleep=sleeps.append,
    )


def test_retry_after_is_honoured_and_capped(server: Server) -> None:
    server.routes["/a.html"] = failing_first(page("A", "a"), times=2, status=429)
    server.routes["/robots.txt"] = lambda request: Reply(404)
    sleeps: list[float] = []
    f = fetcher(sleeps)
    assert f.get(server.url("/a.html"), accept=("text/html",), max_bytes=10_000).status == 200
    assert sleeps == [0.0, 0.0]  # Retry-After: 0 wins over the backoff
    server.routes["/b.html"] = lambda request: Reply(503, b"", {"Retry-After": "3600"})
    sleeps.clear()
    with pytest.raises(FetchError, match="HTTP 503") as e:
        fetcher(sleeps, max_retry_after=5).get(
            server.url("/b.html"), accept=("text/html",), max_bytes=10_000
        )
    assert e.value.status == 503
    assert sleeps == [5.0, 5.0]
    server.routes["/c.html"] = lambda request: Reply(502)
    sleeps.clear()
    with pytest.raises(FetchError):
        fetcher(sleeps).get(server.url("/c.html"), accept=("text/html",), max_bytes=10_000)
    assert sleeps == [0.5, 1.0]  # no Retry-After: backoff doubled


def test_requests_to_one_host_are_spaced(server: Server) -> None:
    server.routes["/robots.txt"] = static(b"User-agent: *\nCrawl-delay: 2\n", "text/plain")
    server.routes["/a.html"] = static(page("A", "a"))
    sleeps: list[float] = []
    now = [100.0]
    f = Fetcher(
        FetchConfig(allow_networks=LOCAL, delay=0.5),
        "https://example.org/contact",
        sleep=sleeps.append,
        clock=lambda: now[0],
    )
    for _ in range(3):
        f.get(server.url("/a.html"), accept=("text/html",), max_bytes=10_000)
    # robots.txt at 100, then its Crawl-delay (2 s) spaces the pages: 100.5, 102.5, 104.5
    assert sleeps == [0.5, 2.5, 4.5]


def test_gzip_bomb_stops_at_the_limit(server: Server) -> None:
    import gzip

    bomb = gzip.compress(b"<p>" + b"a" * 5_000_000)
    server.routes["/robots.txt"] = lambda request: Reply(404)
    server.routes["/bomb.html"] = lambda request: Reply(
        200, bomb, {"Content-Type": "text/html", "Content-Encoding": "gzip"}
    )
    with pytest.raises(FetchError, match="larger than the size limit"):
        fetcher([]).get(server.url("/bomb.html"), accept=("text/html",), max_bytes=100_000)


def test_atom_and_json_feeds() -> None:
    atom = b"""<feed xmlns="http://www.w3.org/2005/Atom"><entry><title>T</title>
    <link rel="alternate" href="/x/1"/><updated>2026-03-01T10:00:00Z</updated>
    <author><name>Ann Lee</name></author><summary>S</summary></entry>
    <entry><title>no link</title></entry></feed>"""
    (link,) = parse_feed(atom, "https://news.example/feed")
    assert link.url == "https://news.example/x/1"
    assert link.entry is not None and link.entry.authors == ("Ann Lee",)
    jf = (
        b'{"version": "https://jsonfeed.org/version/1.1", "items": [{"id": "1", "url": "a",'
        b' "content_text": "One.\\n\\nTwo.", "date_published": "2026-03-02T00:00:00Z"}]}'
    )
    (item,) = parse_feed(jf, "https://news.example/")
    assert item.url == "https://news.example/a"
    assert item.entry is not None and item.entry.content_html == "<p>One.</p><p>Two.</p>"


def test_hostile_xml_is_not_expanded() -> None:
    bomb = b"""<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa">
    <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY x SYSTEM "file:///etc/passwd">]>
    <rss><channel><item><title>&b;&x;</title><link>http://n.example/1</link></item>
    </channel></rss>"""
    (link,) = parse_feed(bomb, "http://n.example/")
    assert link.entry is not None and "aaaa" not in (link.entry.title or "")


def test_limit_keeps_the_newest_and_since_drops_the_old() -> None:
    d = parse_date
    links = [
        Link("u1", d("2026-01-01")),
        Link("u2"),
        Link("u3", d("2026-03-01")),
        Link("u1", d("2026-05-01")),
        Link("u4", d("2025-01-01")),
    ]
    assert [x.url for x in chosen(links, None, d("2025-06-01"))] == ["u1", "u2", "u3"]
    assert [x.url for x in chosen(links, 2, None)] == ["u1", "u3"]


def test_prepare_applies_the_header_charset_and_the_page_url() -> None:
    data = "<html><head><meta charset='utf-8'><title>Привет</title></head></html>".encode("cp1251")
    source = prepare(
        Source(Path("x"), "x", data), PageInfo("https://n.example/a/b", "windows-1251")
    )
    assert "Привет".encode() in source.data
    assert b'<link rel="canonical" href="https://n.example/a/b">' in source.data
    relative = b'<html><head><link rel="canonical" href="/c"></head></html>'
    assert declared_url(relative, "https://n.example/a/b") == "https://n.example/c"
    absolute = b'<link href="https://n.example/z" rel="canonical">'
    assert (
        prepare(Source(Path("x"), "x", absolute), PageInfo("https://n.example/")).data == absolute
    )


def test_the_connection_goes_to_the_address_that_was_checked(server: Server) -> None:
    """The name is resolved once, by the guard's resolver, and the socket connects to that
    address: "pinned.test" exists for no DNS server, only for this resolver."""
    server.routes["/a.html"] = static(page("A", "a"))
    port = server.httpd.server_address[1]
    f = Fetcher(
        FetchConfig(allow_networks=LOCAL, delay=0.0),
        "https://example.org/contact",
        resolver=lambda host, port: ["127.0.0.1"] if host == "pinned.test" else [],
    )
    response = f.get(
        f"http://pinned.test:{port}/a.html", accept=("text/html",), max_bytes=10_000, robots=False
    )
    assert response.status == 200 and response.body and b"<h1>A</h1>" in response.body
    assert server.log[-1].headers["host"] == f"pinned.test:{port}"


def test_a_name_that_turns_private_after_the_check_is_refused(server: Server) -> None:
    """DNS rebinding: a public address for the check, then 127.0.0.1 for the connection."""
    server.routes["/a.html"] = static(page("A", "a"))
    port = server.httpd.server_address[1]
    answers = iter([["93.184.216.34"], ["127.0.0.1"]])
    f = Fetcher(
        FetchConfig(retries=0, delay=0.0),  # no network allowed besides the public ones
        "https://example.org/contact",
        resolver=lambda host, port: next(answers),
    )
    with pytest.raises(FetchError, match=r"refused: rebind\.test resolves to 127\.0\.0\.1"):
        f.get(
            f"http://rebind.test:{port}/a.html",
            accept=("text/html",),
            max_bytes=10_000,
            robots=False,
        )
    assert server.log == []


def test_a_response_is_served_when_its_date_says(server: Server) -> None:
    server.routes["/robots.txt"] = lambda request: Reply(404)
    body = page("A", "a")
    server.routes["/dated.html"] = static(body, Date="Wed, 01 Apr 2026 09:30:00 GMT")
    server.routes["/cached.html"] = static(body, Date="", Age="600")
    server.routes["/undated.html"] = static(body, Date="")
    f = Fetcher(
        FetchConfig(allow_networks=LOCAL, delay=0.0),
        "https://example.org/contact",
        wall_clock=lambda: 1_775_046_000.0,  # 2026-04-01 12:20 UTC
    )

    def served(path: str) -> str:
        got = f.get(server.url(path), accept=("text/html",), max_bytes=10_000).served
        return got.isoformat() if got else ""

    assert served("/dated.html") == "2026-04-01T09:30:00+00:00"
    # no Date: when it arrived, less the time a cache on the way held it
    assert served("/cached.html") == "2026-04-01T12:10:00+00:00"
    assert served("/undated.html") == "2026-04-01T12:20:00+00:00"


def test_a_fetched_page_brings_when_it_was_served_to_extraction(tmp_path: Path) -> None:
    path = tmp_path / "body"
    path.write_bytes(page("A", "a"))
    moment = parse_date("2026-04-01T09:30:00Z")
    info = PageInfo("https://news.example/a", "utf-8", True, served=moment)
    assert prepare(Source(path, "a", path.read_bytes()), info).served == moment
    assert (
        prepare(Source(path, "a", path.read_bytes()), PageInfo("https://n.example/a")).served
        is None
    )


def test_a_cache_of_format_1_is_read_and_migrated(tmp_path: Path) -> None:
    # a cache written before the moment served was kept: its bodies' moments are unknown
    db = sqlite3.connect(tmp_path / DB_NAME)
    db.executescript(
        "CREATE TABLE info (key TEXT PRIMARY KEY, value TEXT NOT NULL);"
        "INSERT INTO info VALUES ('format', '1');"
        "CREATE TABLE responses (url TEXT PRIMARY KEY, final_url TEXT NOT NULL,"
        " content_type TEXT NOT NULL, charset TEXT, etag TEXT, last_modified TEXT,"
        " sha TEXT NOT NULL);"
        "INSERT INTO responses VALUES ('https://n.example/a', 'https://n.example/a',"
        " 'text/html', NULL, '\"v1\"', NULL, 'abc');"
    )
    db.commit()
    db.close()
    (tmp_path / PAGES).mkdir()
    (tmp_path / PAGES / body_name("https://n.example/a")).write_bytes(b"<p>a</p>")
    for readonly in (True, False):
        cache = HttpCache(tmp_path, readonly=readonly)
        found = cache.get("https://n.example/a")
        assert found is not None and found.etag == '"v1"' and found.served_at is None
        cache.close()
    cache = HttpCache(tmp_path)
    moment = "2026-03-29T22:15:00+00:00"
    cache.put(replace(found, served=moment), b"<p>a</p>")
    assert cache.get("https://n.example/a") == replace(found, served=moment)
    cache.close()
    format_ = sqlite3.connect(tmp_path / DB_NAME).execute("SELECT value FROM info").fetchone()
    assert format_ == ("2",)
