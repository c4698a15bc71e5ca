"""WebSub: subscription documents name the hub, and a build tells it which of them changed
(against a hub on 127.0.0.1, never anywhere else)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs

import pytest

from feedgen_pipeline import load_config
from feedgen_pipeline.cli import main
from feedgen_pipeline.errors import ConfigError

from .conftest import EXAMPLES
from .httpserver import Reply, Server

BASE = "https://example.org/w/"
FETCH = (
    "fetch:\n  connect_timeout: 0.5\n  read_timeout: 0.5\n  retries: 1\n  backoff: 0\n"
    "  allow_networks: [127.0.0.1]\n"
)


@pytest.fixture
def hub() -> Iterator[Server]:
    s = Server()
    s.routes["/hub"] = lambda request: Reply(204)
    yield s
    s.close()


def site(tmp: Path, hub_url: str | None) -> Path:
    articles = tmp / "articles"
    articles.mkdir(exist_ok=True)
    for path in sorted(EXAMPLES.glob("*.txt")):
        (articles / path.name).write_bytes(path.read_bytes())
    hub_line = f"  websub_hub: {hub_url}\n" if hub_url else ""
    config = tmp / "config.yaml"
    config.write_text(
        f"feed:\n  title: W\n  base_url: {BASE}\n{hub_line}sources:\n  - path: articles\n{FETCH}",
        "utf-8",
    )
    return config


def topics(hub: Server) -> list[str]:
    """The topics the hub was told of, in order; every ping a publish."""
    told = []
    for hit in hub.hits("/hub"):
        form = parse_qs(hit.body.decode())
        assert form["hub.mode"] == ["publish"]
        assert hit.headers["content-type"] == "application/x-www-form-urlencoded"
        assert hit.headers["user-agent"].startswith("feedgen-pipeline/")
        told += form["hub.url"]
    return told


def build(config: Path, *extra: str) -> int:
    return main(["build", "--config", str(config), "--quiet", *extra])


def test_subscription_documents_name_the_hub(tmp_path: Path, hub: Server) -> None:
    config = site(tmp_path, hub.url("/hub"))
    assert build(config) == 0
    out = tmp_path / "output"
    for folder in (out, out / "countries" / "sa"):
        atom = (folder / "atom.xml").read_text("utf-8")
        assert f'<link href="{hub.url("/hub")}" rel="hub"/>' in atom
        assert 'rel="self"/>' in atom
        rss = (folder / "rss.xml").read_text("utf-8")
        assert f'<atom:link href="{hub.url("/hub")}" rel="hub"/>' in rss
        assert 'rel="self"/>' in rss
        feed = json.loads((folder / "feed.json").read_text("utf-8"))
        assert feed["hubs"] == [{"type": "WebSub", "url": hub.url("/hub")}]
        assert feed["feed_url"].startswith(BASE)


def test_no_hub_no_hub_links(tmp_path: Path) -> None:
    config = site(tmp_path, None)
    assert build(config) == 0
    out = tmp_path / "output"
    assert 'rel="hub"' not in (out / "atom.xml").read_text("utf-8")
    assert "hubs" not in json.loads((out / "feed.json").read_text("utf-8"))


def test_the_hub_is_told_of_each_changed_subscription_document(tmp_path: Path, hub: Server) -> None:
    config = site(tmp_path, hub.url("/hub"))
    assert build(config) == 0
    first = topics(hub)
    out = tmp_path / "output"
    documents = [
        BASE + p.relative_to(out).as_posix()
        for name in ("atom.xml", "rss.xml", "feed.json")
        for p in out.rglob(name)
    ]
    assert sorted(first) == sorted(documents)  # every one, once; no page, no archive
    assert build(config) == 0  # nothing changed: nobody told
    assert topics(hub) == first
    article = next((tmp_path / "articles").glob("*.txt"))
    article.write_text(article.read_text("utf-8") + "\nOne more line.\n", "utf-8")
    assert build(config) == 0
    again = topics(hub)[len(first) :]
    assert {BASE + "atom.xml", BASE + "rss.xml", BASE + "feed.json"} <= set(again)
    assert len(again) < len(first)  # only the feeds carrying that article


def test_a_failed_ping_warns_exits_1_and_is_sent_again(
    tmp_path: Path, hub: Server, capsys: pytest.CaptureFixture[str]
) -> None:
    hub.routes["/hub"] = lambda request: Reply(500, b"down")
    config = site(tmp_path, hub.url("/hub"))
    assert build(config) == 1
    err = capsys.readouterr().err
    assert f"warning: WebSub hub {hub.url('/hub')}: HTTP 500" in err
    assert f"for {BASE}atom.xml; told again next run" in err
    failed = len(hub.hits("/hub"))
    hub.routes["/hub"] = lambda request: Reply(202)
    assert build(config) == 0  # nothing changed, but the pings are owed
    told = topics(hub)[failed:]
    assert BASE + "atom.xml" in told and len(told) == failed // 2  # each tried twice before
    assert build(config) == 0
    assert len(topics(hub)) == failed + len(told)  # and no more


def test_offline_and_dry_run_ping_nothing(
    tmp_path: Path, hub: Server, capsys: pytest.CaptureFixture[str]
) -> None:
    config = site(tmp_path, hub.url("/hub"))
    assert main(["build", "--config", str(config), "--dry-run"]) == 0
    assert f"would ping: {hub.url('/hub')} for {BASE}atom.xml" in capsys.readouterr().out
    assert build(config, "--offline") == 0
    assert hub.hits("/hub") == []
    assert build(config) == 0  # the first run that may use the network tells the hub
    assert BASE + "atom.xml" in topics(hub)


def test_the_hub_must_be_an_http_url(tmp_path: Path) -> None:
    config = site(tmp_path, "ftp://hub.example/")
    with pytest.raises(ConfigError, match=r"feed\.websub_hub"):
        load_config(config)
