"""Incremental builds: what a re-run reads, writes, keeps and forgets."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest

from feedgen_pipeline import build
from feedgen_pipeline.config import Config, Rules, SourceConfig, parse_config
from feedgen_pipeline.errors import ConfigError
from feedgen_pipeline.model import Article, Document, Source
from feedgen_pipeline.parse import enrich_file
from feedgen_pipeline.plan import plan_inputs
from feedgen_pipeline.records import Found, StatMark
from feedgen_pipeline.state.codec import CodecError, decode, encode
from feedgen_pipeline.state.store import Store

from .conftest import EXAMPLES, FIXED_NOW, example_config

COUNTRIES = ("France", "Chile", "Kenya", "Japan", "Brazil", "Norway", "Egypt", "Peru")


def write_articles(folder: Path, count: int, start: int = 0) -> None:
    """Undated plain-text articles, each different."""
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(start, start + count):
        country = COUNTRIES[i % len(COUNTRIES)]
        (folder / f"story-{i:03d}.txt").write_text(
            f"Story {i} from {country}\n\n"
            f"A dek about {country} and the talks held there on day {i}, "
            "which went on for longer than planned.\n\n"
            f"Officials in {country} said on day {i} that talks would go on. "
            f"The talks concern trade number {i * 7}.\n",
            "utf-8",
        )


def text_config(tmp: Path, folder: Path, **changes: object) -> Config:
    config = example_config(tmp)
    return replace(config, sources=(SourceConfig("in", folder, ("*.txt",)),), **changes)  # type: ignore[arg-type]


def tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def mtimes(folder: Path) -> dict[str, int]:
    return {
        p.relative_to(folder).as_posix(): p.stat().st_mtime_ns
        for p in folder.rglob("*")
        if p.is_file()
    }


def freeze(folder: Path) -> None:
    """Old mtimes on every file, so that any rewrite shows."""
    for p in folder.rglob("*"):
        if p.is_file():
            os.utime(p, ns=(1_000_000_000, 1_000_000_000))


def feed_items(config: Config) -> dict[str, dict[str, str]]:
    feed = json.loads((config.output_dir / "feed.json").read_text("utf-8"))
    return {i["title"]: i for i in feed["items"]}


def test_no_change_run_reads_and_writes_nothing(tmp_path: Path) -> None:
    config = example_config(tmp_path)
    first = build(config, now=FIXED_NOW)
    assert first.counts.new == 10
    freeze(config.state_dir)
    before, times = tree(config.output_dir), mtimes(config.output_dir)
    state_times = mtimes(config.state_dir)
    again = build(config, now=FIXED_NOW + timedelta(days=1))
    assert again.written == () and again.deleted == ()
    assert again.counts.unchanged == 10 and again.counts.new == again.counts.updated == 0
    assert again.total == 10
    assert tree(config.output_dir) == before and mtimes(config.output_dir) == times
    assert mtimes(config.state_dir) == state_times


def test_touched_file_is_hashed_not_parsed_and_writes_nothing(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    write_articles(folder, 5)
    config = text_config(tmp_path, folder)
    build(config, now=FIXED_NOW)
    freeze(config.output_dir)
    times = mtimes(config.output_dir)
    os.utime(folder / "story-002.txt")
    result = build(config, now=FIXED_NOW + timedelta(hours=1))
    assert result.counts.unchanged == 5 and result.written == ()
    assert mtimes(config.output_dir) == times


def test_one_change_rewrites_only_its_files_and_moves_only_its_updated(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    write_articles(folder, 6)
    config = text_config(tmp_path, folder)
    build(config, now=FIXED_NOW)
    items = feed_items(config)
    freeze(config.output_dir)
    later = FIXED_NOW + timedelta(hours=2)
    path = folder / "story-003.txt"
    path.write_text(path.read_text("utf-8") + "\nA new paragraph about Chile.\n", "utf-8")
    result = build(config, now=later)
    assert result.counts.updated == 1 and result.counts.unchanged == 5
    # its feeds and pages: the main ones, Japan's, and Chile's, which it joins
    tag_files = {
        f"countries/{code}/{name}"
        for code in ("jp", "cl")
        for name in ("atom.xml", "rss.xml", "feed.json", "index.html")
    }
    assert set(result.written) == {
        "atom.xml",
        "rss.xml",
        "feed.json",
        "index.html",
        "articles/story-003.html",
        "countries/index.html",
        *tag_files,
    }
    times = mtimes(config.output_dir)
    assert all(times[f"articles/story-00{i}.html"] == 1_000_000_000 for i in (0, 1, 2, 4, 5))
    after = feed_items(config)
    changed = after["Story 3 from Japan"]
    assert changed["date_published"] == items["Story 3 from Japan"]["date_published"]
    assert changed["date_modified"] == later.isoformat()
    for title, item in items.items():
        if title != "Story 3 from Japan":
            assert after[title] == item


def test_same_content_in_new_bytes_keeps_updated(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    write_articles(folder, 3)
    config = text_config(tmp_path, folder)
    build(config, now=FIXED_NOW)
    freeze(config.output_dir)
    path = folder / "story-001.txt"
    path.write_text(path.read_text("utf-8") + "\n\n\n", "utf-8")  # white space only
    result = build(config, now=FIXED_NOW + timedelta(hours=2))
    assert result.counts.updated == 1
    assert result.written == ()


def test_first_seen_dates_survive_a_rules_change(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    write_articles(folder, 4)
    config = text_config(tmp_path, folder)
    build(config, now=FIXED_NOW)
    items = feed_items(config)
    rules = replace(config.rules, summary_max_chars=60)
    result = build(replace(config, rules=rules), now=FIXED_NOW + timedelta(days=5))
    assert result.counts.unchanged == 4 and result.counts.new == 0
    after = feed_items(config)
    assert set(after) == set(items)
    for title, item in items.items():
        assert after[title]["date_published"] == item["date_published"]
        assert after[title]["date_modified"] == item["date_modified"]
    assert any(after[t]["summary"] != items[t]["summary"] for t in items)


def test_a_tagging_change_enriches_again_without_parsing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Only the tags depend on the tagging rules: each file's Document comes from the state,
    and the output is what a fresh build with the new rules gives, byte for byte."""
    import feedgen_pipeline.extract

    folder = tmp_path / "in"
    write_articles(folder, 6)
    for page in EXAMPLES.glob("*.*"):
        shutil.copy(page, folder / page.name)
    sources = (SourceConfig("in", folder, ("*.txt", "*.html")),)
    config = replace(text_config(tmp_path / "a", folder), sources=sources)
    build(config, now=FIXED_NOW)
    before = tree(config.output_dir)
    parsed: list[str] = []
    extract = feedgen_pipeline.extract.extract

    def counting(source: Source, rules: Rules) -> Document:
        parsed.append(source.relpath)
        return extract(source, rules)

    monkeypatch.setattr(feedgen_pipeline.extract, "extract", counting)
    stricter = replace(config.rules, country_min_relative_score=0.9)
    planned = build(replace(config, rules=stricter), now=FIXED_NOW, dry_run=True)
    assert {c.kind for c in planned.changes} == {"re-enrich"}
    assert len(planned.changes) == len(list(folder.iterdir()))
    result = build(replace(config, rules=stricter), now=FIXED_NOW + timedelta(days=1))
    assert parsed == []
    assert result.counts.new == 0 and result.counts.updated == 0
    after = tree(config.output_dir)
    assert after != before  # fewer countries tagged
    fresh = replace(text_config(tmp_path / "b", folder), sources=sources, rules=stricter)
    build(fresh, now=FIXED_NOW)
    assert tree(fresh.output_dir) == after
    # an extraction rule is another matter: every file is parsed again
    shorter = replace(stricter, summary_max_chars=60)
    parsed.clear()
    build(replace(config, rules=shorter), now=FIXED_NOW + timedelta(days=2))
    assert sorted(parsed) == sorted(p.name for p in folder.iterdir())


def test_rebuild_reparses_everything_and_keeps_dates(tmp_path: Path) -> None:
    config = example_config(tmp_path)
    build(config, now=FIXED_NOW)
    before = tree(config.output_dir)
    result = build(config, now=FIXED_NOW + timedelta(days=1), rebuild=True)
    assert result.counts.unchanged == 10 and result.written == ()
    assert tree(config.output_dir) == before


def test_removed_source_is_dropped_by_default(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    write_articles(folder, 4)
    config = text_config(tmp_path, folder)
    build(config, now=FIXED_NOW)
    (folder / "story-001.txt").unlink()
    result = build(config, now=FIXED_NOW + timedelta(hours=1))
    assert result.counts.removed == 1
    assert "Story 1 from Chile" not in feed_items(config)
    # its page, and Chile's feeds and page: it was the only article about Chile
    assert result.deleted == (
        "articles/story-001.html",
        *(f"countries/cl/{n}" for n in ("atom.xml", "feed.json", "index.html", "rss.xml")),
    )
    assert not (config.output_dir / "countries" / "cl").exists()
    assert not (config.output_dir / "articles/story-001.html").exists()
    again = build(config, now=FIXED_NOW + timedelta(hours=2))
    assert again.counts.removed == 0 and again.written == ()


def test_removed_source_is_kept_when_configured(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    write_articles(folder, 4)
    config = text_config(tmp_path, folder, removed="keep")
    build(config, now=FIXED_NOW)
    before = tree(config.output_dir)
    (folder / "story-001.txt").unlink()
    result = build(config, now=FIXED_NOW + timedelta(hours=1))
    assert result.counts.removed == 1
    assert tree(config.output_dir) == before
    assert "Story 1 from Chile" in feed_items(config)
    again = build(config, now=FIXED_NOW + timedelta(hours=2))
    assert again.counts.removed == 0 and again.written == () and again.total == 4


def stored_stats(config: Config) -> dict[str, str]:
    """The stat column as the database holds it."""
    with sqlite3.connect(config.state_dir / "state.sqlite") as db:
        return dict(db.execute("SELECT key, stat FROM sources").fetchall())


def test_marks_are_stored_as_text_and_read_back_as_marks(tmp_path: Path) -> None:
    """The stat column keeps the text it always held ("gone", "failed"), so that a state
    written before the marks were typed reads as marks, in both of the store's readings."""
    folder = tmp_path / "in"
    write_articles(folder, 3)
    config = text_config(tmp_path, folder, removed="keep")
    build(config, now=FIXED_NOW)
    gone, failed = str(folder / "story-000.txt"), str(folder / "story-001.txt")
    (folder / "story-000.txt").unlink()
    build(config, now=FIXED_NOW + timedelta(hours=1))
    assert stored_stats(config)[gone] == "gone"
    with sqlite3.connect(config.state_dir / "state.sqlite") as db:
        db.execute("UPDATE sources SET stat = 'failed' WHERE key = ?", (failed,))
    store = Store(config.state_dir, readonly=True)
    try:
        stats, records = store.stats(), store.records()
    finally:
        store.close()
    assert stats[gone][0] is StatMark.GONE and records[gone].stat is StatMark.GONE
    assert stats[failed][0] is StatMark.FAILED and records[failed].stat is StatMark.FAILED
    other = str(folder / "story-002.txt")
    assert isinstance(stats[other][0], str) and stats[other][0] == records[other].stat


def test_a_kept_record_is_gone_once_and_a_failed_one_is_read_again(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    write_articles(folder, 3)
    config = text_config(tmp_path, folder, removed="keep")
    build(config, now=FIXED_NOW)
    (folder / "story-000.txt").unlink()
    assert build(config, now=FIXED_NOW + timedelta(hours=1)).counts.removed == 1
    failed = str(folder / "story-001.txt")
    stat = stored_stats(config)[failed]
    with sqlite3.connect(config.state_dir / "state.sqlite") as db:
        db.execute("UPDATE sources SET stat = 'failed' WHERE key = ?", (failed,))
    again = build(config, now=FIXED_NOW + timedelta(hours=2))
    assert again.counts.removed == 0 and again.written == () and again.total == 3
    assert stored_stats(config)[failed] == stat  # read: its file's stat is back
    assert build(config, now=FIXED_NOW + timedelta(hours=3)).counts.removed == 0


def test_a_mark_equals_no_stat_and_a_gone_mark_is_not_gone_again() -> None:
    found = [
        Found("a", "a", "a", "gone"),
        Found("b", "b", "b", "failed"),
        Found("c", "c", "c", "1"),
    ]
    stats = {
        "a": (StatMark.GONE, "fp"),
        "b": (StatMark.FAILED, "fp"),
        "c": ("1", "fp"),
        "kept": (StatMark.GONE, "fp"),
        "lost": (StatMark.FAILED, "fp"),
    }
    inputs = plan_inputs(found, stats, "fp")
    assert [f.key for f in inputs.read] == ["a", "b"]
    assert inputs.gone == ("lost",)
    assert not inputs.reenrich


def test_removed_option_is_checked(tmp_path: Path) -> None:
    text = "feed:\n  title: T\n  base_url: https://e.org/\nsources: []\noutput:\n  removed: hide\n"
    with pytest.raises(ConfigError) as e:
        parse_config(text, tmp_path / "config.yaml")
    assert f"{tmp_path / 'config.yaml'}:6: output.removed: expected drop or keep" in str(e.value)
    config = parse_config(text.replace("hide", "keep"), tmp_path / "config.yaml")
    assert config.removed == "keep"


def test_identical_content_appears_once_first_seen_wins(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    write_articles(folder, 2)
    config = text_config(tmp_path, folder)
    build(config, now=FIXED_NOW)
    # a copy that sorts first arrives later: the entry already published stays
    shutil.copy(folder / "story-001.txt", folder / "a-copy.txt")
    result = build(config, now=FIXED_NOW + timedelta(hours=1))
    assert [s.reason for s in result.skipped] == ["duplicate of story-001.txt (same content)"]
    assert result.skipped[0].source == str(folder / "a-copy.txt")
    assert result.exit_code == 1
    assert result.written == ()  # nothing moved
    # in one fresh run, the first in source order wins
    fresh = text_config(tmp_path / "fresh", folder)
    result = build(fresh, now=FIXED_NOW)
    assert [s.reason for s in result.skipped] == ["duplicate of a-copy.txt (same content)"]


def test_corrupt_state_is_reported_and_rebuilt(tmp_path: Path) -> None:
    config = example_config(tmp_path)
    build(config, now=FIXED_NOW)
    before = tree(config.output_dir)
    (config.state_dir / "state.sqlite").write_bytes(b"not a database at all" * 100)
    result = build(config, now=FIXED_NOW)
    assert result.warnings and "starting afresh" in result.warnings[0]
    assert result.counts.new == 10
    assert tree(config.output_dir) == before
    assert build(config, now=FIXED_NOW).warnings == ()


@pytest.mark.parametrize(
    "damage",
    [
        "UPDATE sources SET seen = 'yesterday'",
        "UPDATE sources SET tags = '{\"a\": 1}' WHERE id IS NOT NULL",
        "UPDATE sources SET seen = '2024-01-01T00:00:00'",  # no time zone
        "UPDATE sources SET sha = x'00' WHERE id IS NOT NULL",
    ],
)
def test_damaged_records_are_reported_and_rebuilt(tmp_path: Path, damage: str) -> None:
    """A database that opens but holds a record that cannot be read: found only when a change
    makes the run read every record."""
    folder = tmp_path / "in"
    write_articles(folder, 5)
    config = text_config(tmp_path, folder)
    build(config, now=FIXED_NOW)
    before = tree(config.output_dir)
    with sqlite3.connect(config.state_dir / "state.sqlite") as db:
        db.execute(damage)
    path = folder / "story-001.txt"
    path.write_bytes(path.read_bytes())  # the same bytes, a new mtime: the records are read
    result = build(config, now=FIXED_NOW)
    assert result.warnings and "damaged" in result.warnings[0], result.warnings
    assert "starting afresh" in result.warnings[0]
    assert result.counts.new == 5
    assert tree(config.output_dir) == before
    assert build(config, now=FIXED_NOW).warnings == ()


def test_unreadable_stored_article_is_parsed_again(tmp_path: Path) -> None:
    config = example_config(tmp_path)
    build(config, now=FIXED_NOW)
    before = tree(config.output_dir)
    with sqlite3.connect(config.state_dir / "state.sqlite") as db:
        db.execute("UPDATE sources SET article = '{\"broken\": 1}'")
        db.execute("UPDATE info SET value = '' WHERE key = 'rendered'")
    result = build(config, now=FIXED_NOW)
    assert result.written == ()
    assert tree(config.output_dir) == before


def test_dry_run_writes_nothing(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    write_articles(folder, 3)
    config = text_config(tmp_path, folder)
    fresh = build(config, now=FIXED_NOW, dry_run=True)
    assert not config.output_dir.exists() and not config.state_dir.exists()
    assert [c.kind for c in fresh.changes] == ["add"] * 3
    assert "atom.xml" in fresh.written
    build(config, now=FIXED_NOW)
    freeze(config.output_dir)
    freeze(config.state_dir)
    before = (tree(config.output_dir), mtimes(config.output_dir), tree(config.state_dir))
    (folder / "story-000.txt").unlink()
    (folder / "story-001.txt").write_text("Changed\n\nNew text about Peru.\n", "utf-8")
    write_articles(folder, 1, start=7)
    result = build(config, now=FIXED_NOW + timedelta(hours=1), dry_run=True)
    assert {(c.kind, Path(c.path).name) for c in result.changes} == {
        ("add", "story-007.txt"),
        ("change", "story-001.txt"),
        ("remove", "story-000.txt"),
        ("re-date", "story-001.txt"),  # its text changed: its entry's updated date moves
    }
    assert "feed.json" in result.written
    # France's only article is gone and Chile's now speaks of Peru: their feeds would go
    assert result.deleted == (
        "articles/story-000.html",
        *(
            f"countries/{c}/{n}"
            for c in ("cl", "fr")
            for n in ("atom.xml", "feed.json", "index.html", "rss.xml")
        ),
    )
    assert (tree(config.output_dir), mtimes(config.output_dir), tree(config.state_dir)) == before


@pytest.mark.parametrize(("batch", "tag_feeds"), [(8192, True), (8, True), (8192, False)])
def test_jobs_2_output_equals_jobs_1(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, batch: int, tag_feeds: bool
) -> None:
    import feedgen_pipeline.publish
    from feedgen_pipeline.config import MinArticles

    # with small batches, the forms of later batches of tag feeds are made in pools of their own;
    # without tag feeds, the pages alone go to a pool and the main feeds are made here
    monkeypatch.setattr(feedgen_pipeline.publish, "_BATCH_ENTRIES", batch)
    folder = tmp_path / "in"
    count = 40 if tag_feeds else 80
    write_articles(folder, count)
    for page in EXAMPLES.glob("*.*"):
        shutil.copy(page, folder / page.name)
    one = text_config(tmp_path / "one", folder)
    two = text_config(tmp_path / "two", folder)
    patterns = ("*.txt", "*.html")
    sources = (SourceConfig("in", folder, patterns),)
    if not tag_feeds:  # every article in the main feed, for its page
        site = replace(one.site, min_articles=MinArticles(10**6, 10**6))
        feed = replace(one.feed, max_entries=100)
        one, two = (replace(c, site=site, feed=feed) for c in (one, two))
    one, two = (replace(c, sources=sources) for c in (one, two))
    a = build(one, now=FIXED_NOW, jobs=1)
    b = build(two, now=FIXED_NOW, jobs=2)
    assert a.counts == b.counts and a.counts.new == count + 10
    assert tree(one.output_dir) == tree(two.output_dir)
    assert any(p.startswith("countries/") and p.count("/") == 2 for p in a.written) is tag_feeds


def test_the_main_process_prepares_the_writers_while_workers_parse(tmp_path: Path) -> None:
    from feedgen_pipeline.parse import Task, parse_many

    folder = tmp_path / "in"
    write_articles(folder, 20)
    tasks = [Task(str(p), p.name, None) for p in sorted(folder.iterdir())]
    rules = example_config(tmp_path).rules
    calls: list[int] = []
    one = list(parse_many(tasks, rules, 1, meanwhile=lambda: calls.append(1)))
    assert calls == []  # no pool, no waiting
    two = list(parse_many(tasks, rules, 2, meanwhile=lambda: calls.append(2)))
    assert calls == [2]
    assert [p.article for p in two] == [p.article for p in one]


def test_stored_articles_round_trip() -> None:
    from feedgen_pipeline.config import default_rules

    rules = default_rules()
    for path in sorted(EXAMPLES.glob("*.*")):
        article = enrich_file(path, rules)
        back = decode(Article, json.loads(json.dumps(encode(article))))
        assert back == article


def test_an_article_stored_before_countries_were_marked_tagged_is_not_trusted() -> None:
    """A state written before ``CountryTag.tagged`` existed holds tags only: decoding such an
    article must fail (it is then made again), never read every country as tagged."""
    from feedgen_pipeline.config import default_rules

    article = enrich_file(EXAMPLES / "2026-01-15-gaza-talks.txt", default_rules())
    assert any(not c.tagged for c in article.countries)
    stored = encode(article)
    for country in stored["countries"]:
        del country["tagged"]
    with pytest.raises(CodecError, match=r"countries\[0\]\.tagged: missing"):
        decode(Article, stored)


def test_stored_documents_round_trip(tmp_path: Path) -> None:
    """A Document kept in the state gives back the very Document: the hostile corpus's too
    (lone surrogates, control characters), which only enrichment cleans."""
    from feedgen_pipeline.config import default_rules
    from feedgen_pipeline.errors import ArticleError
    from feedgen_pipeline.parse import extract_source
    from feedgen_pipeline.sources import read_source
    from feedgen_pipeline.state.store import decode_document, encode_document

    from .hostile import write_corpus

    write_corpus(tmp_path)
    rules = default_rules()
    documents = 0
    for path in [*sorted(EXAMPLES.glob("*.*")), *sorted(tmp_path.rglob("*.*"))]:
        try:
            document = extract_source(read_source(path, path.name), rules)
        except (ArticleError, OSError):
            continue
        assert decode_document(encode_document(document)) == document, path
        documents += 1
    assert documents >= 20
    assert decode_document(b"not a document") is None


def test_first_seen_dates_of_the_old_json_state_are_kept(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    write_articles(folder, 2)
    config = text_config(tmp_path, folder)
    config.state_dir.mkdir(parents=True)
    old = (FIXED_NOW - timedelta(days=30)).isoformat()
    (config.state_dir / "first-seen.json").write_text(json.dumps({"story-000.txt": old}), "utf-8")
    build(config, now=FIXED_NOW)
    items = feed_items(config)
    assert items["Story 0 from France"]["date_published"] == old
    assert items["Story 1 from Chile"]["date_published"] == FIXED_NOW.isoformat()


def test_a_state_of_the_previous_format_is_migrated_not_started_afresh(tmp_path: Path) -> None:
    """Format 2 kept no digest per output file: the column is added, and nothing is lost."""
    folder = tmp_path / "in"
    write_articles(folder, 3)
    config = text_config(tmp_path, folder)
    build(config, now=FIXED_NOW)
    db = sqlite3.connect(config.state_dir / "state.sqlite")
    seen = db.execute("SELECT id, first_seen FROM dates ORDER BY id").fetchall()
    db.executescript(
        "ALTER TABLE outputs DROP COLUMN digest;UPDATE info SET value = '2' WHERE key = 'format';"
    )
    db.commit()
    db.close()
    dry = build(config, now=FIXED_NOW + timedelta(days=1), dry_run=True)  # read-only: no change
    assert not dry.warnings and dry.written == ()
    result = build(config, now=FIXED_NOW + timedelta(days=1))
    assert not result.warnings and result.counts.unchanged == 3
    db = sqlite3.connect(config.state_dir / "state.sqlite")
    assert db.execute("SELECT value FROM info WHERE key = 'format'").fetchone() == ("4",)
    assert db.execute("SELECT id, first_seen FROM dates ORDER BY id").fetchall() == seen
    assert all(d for (d,) in db.execute("SELECT digest FROM outputs"))


def test_a_state_with_the_placements_inside_is_migrated(tmp_path: Path) -> None:
    """Format 3 kept the last plan's placements in the state's database: they go, the next run
    that changes something places every article again into a database of their own, and the run
    after it plans around its change as before."""
    from .test_plan import full_render

    folder = tmp_path / "in"
    write_articles(folder, 12)
    config = text_config(tmp_path, folder)
    build(config, now=FIXED_NOW)
    before = tree(config.output_dir)
    (config.state_dir / "index.sqlite").unlink()
    db = sqlite3.connect(config.state_dir / "state.sqlite")
    db.executescript(
        "CREATE TABLE placed (key TEXT PRIMARY KEY); CREATE TABLE tagged (key TEXT);"
        "CREATE TABLE tags (key TEXT); INSERT INTO placed VALUES ('stale');"
        "UPDATE info SET value = '3' WHERE key = 'format';"
    )
    db.close()
    result = build(config, now=FIXED_NOW + timedelta(hours=1))
    assert not result.warnings and result.counts.unchanged == 12 and result.written == ()
    assert tree(config.output_dir) == before
    db = sqlite3.connect(config.state_dir / "state.sqlite")
    assert db.execute("SELECT value FROM info WHERE key = 'format'").fetchone() == ("4",)
    names = {n for (n,) in db.execute("SELECT name FROM sqlite_schema WHERE type = 'table'")}
    assert not names & {"placed", "tagged", "tags"}
    db.close()
    for hours in (2, 3):  # the whole plan, which fills the index; then a plan around a change
        with (folder / "story-003.txt").open("a", encoding="utf-8") as f:
            f.write(f"The talks went on for {hours} hours.\n")
        build(config, now=FIXED_NOW + timedelta(hours=hours))
        assert tree(config.output_dir) == full_render(config, tmp_path)
        index = sqlite3.connect(config.state_dir / "index.sqlite")
        assert index.execute("SELECT count(*) FROM placed").fetchone() == (12,)
        index.close()


def test_a_lost_or_damaged_index_is_made_again(tmp_path: Path) -> None:
    from .test_plan import full_render

    folder = tmp_path / "in"
    write_articles(folder, 12)
    config = text_config(tmp_path, folder)
    build(config, now=FIXED_NOW)
    index = config.state_dir / "index.sqlite"
    for damage in ("lost", "damaged"):
        if damage == "lost":
            index.unlink()
        else:
            index.write_bytes(b"not a database at all" * 100)
        with (folder / "story-005.txt").open("a", encoding="utf-8") as f:
            f.write(f"The talks went on ({damage}).\n")
        result = build(config, now=FIXED_NOW + timedelta(hours=1))
        assert not result.warnings and result.counts.updated == 1, damage
        assert tree(config.output_dir) == full_render(config, tmp_path), damage
        db = sqlite3.connect(index)
        assert db.execute("SELECT count(*) FROM placed").fetchone() == (12,), damage
        db.close()
