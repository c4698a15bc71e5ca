"""Whole builds: reproducible bytes, quiet re-runs, stable dates and ids."""

from __future__ import annotations

import json
import os
from datetime import timedelta
from pathlib import Path

from feedgen_pipeline import build

from .conftest import FIXED_NOW, example_config


def _tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_two_fresh_builds_are_byte_identical(tmp_path: Path) -> None:
    one = example_config(tmp_path / "one")
    two = example_config(tmp_path / "two")
    build(one, now=FIXED_NOW)
    build(two, now=FIXED_NOW)
    assert _tree(one.output_dir) == _tree(two.output_dir)
    assert len(_tree(one.output_dir)) >= 4


def test_rerun_writes_nothing_and_keeps_dates(tmp_path: Path) -> None:
    config = example_config(tmp_path)
    first = build(config, now=FIXED_NOW)
    assert first.written and not first.unchanged
    mtimes = {p: p.stat().st_mtime_ns for p in config.output_dir.rglob("*") if p.is_file()}
    for path in mtimes:
        os.utime(path, ns=(1, 1))  # so that any rewrite would show
    later = build(config, now=FIXED_NOW + timedelta(days=3))
    assert later.written == ()
    assert all(p.stat().st_mtime_ns == 1 for p in mtimes)


def test_undated_articles_keep_first_seen_date_and_never_share_one(tmp_path: Path) -> None:
    config = example_config(tmp_path)
    build(config, now=FIXED_NOW)
    feed = json.loads((config.output_dir / "feed.json").read_text("utf-8"))
    dates = [i["date_published"] for i in feed["items"]]
    assert len(set(dates)) == len(dates)
    assert max(dates) == FIXED_NOW.isoformat()
    # the clock moved on, a new article arrived: the old entries keep their dates
    extra = tmp_path / "extra"
    extra.mkdir()
    (extra / "new.txt").write_text("New Headline\n\nDek.\n\nBody about Chile.\n", "utf-8")
    from dataclasses import replace

    from feedgen_pipeline.config import SourceConfig

    config2 = replace(config, sources=(*config.sources, SourceConfig("x", extra, ("*.txt",))))
    build(config2, now=FIXED_NOW + timedelta(hours=1))
    feed2 = json.loads((config.output_dir / "feed.json").read_text("utf-8"))
    assert feed2["items"][0]["title"] == "New Headline"
    assert [i["date_published"] for i in feed2["items"][1:]] == dates


def test_feed_updated_follows_entries_not_clock(tmp_path: Path) -> None:
    config = example_config(tmp_path)
    build(config, now=FIXED_NOW)
    atom = (config.output_dir / "atom.xml").read_text("utf-8")
    assert f"<updated>{FIXED_NOW.isoformat()}</updated>" in atom.split("<entry>")[0]


def test_duplicate_canonical_url_appears_once(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    page = '<link rel="canonical" href="https://x.example/same"><h1>{}</h1><p>Text.</p>'
    (folder / "a.html").write_text(page.format("First"), "utf-8")
    (folder / "b.html").write_text(page.format("Second"), "utf-8")
    from dataclasses import replace

    from feedgen_pipeline.config import SourceConfig

    config = replace(example_config(tmp_path), sources=(SourceConfig("in", folder, ("*.html",)),))
    result = build(config, now=FIXED_NOW)
    assert [a.headline for a in result.articles] == ["First"]
    assert result.skipped[0].reason.startswith("duplicate of a.html")
    assert result.exit_code == 1


def test_max_entries_caps_every_feed(tmp_path: Path) -> None:
    from dataclasses import replace

    config = example_config(tmp_path)
    config = replace(config, feed=replace(config.feed, max_entries=3))
    build(config, now=FIXED_NOW)
    feed = json.loads((config.output_dir / "feed.json").read_text("utf-8"))
    assert len(feed["items"]) == 3
    assert (config.output_dir / "atom.xml").read_text("utf-8").count("<entry>") == 3
    assert (config.output_dir / "rss.xml").read_text("utf-8").count("<item>") == 3
