"""Sources of articles beyond one folder on disk: JSON Lines files read through fsspec URLs
(fsspec's memory file system stands for an object store), each file read again only when its
stat changed, and the same article id on several lines (the first line wins, in path order)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from feedgen_pipeline import articles, build
from feedgen_pipeline.api import article_to_json
from feedgen_pipeline.cli import main
from feedgen_pipeline.config import ARTICLE_PATTERNS, Config, SourceConfig, load_config
from feedgen_pipeline.errors import ConfigError

from .conftest import FIXED_NOW, REPO, example_config
from .test_articles import example_articles, extract_to
from .test_cli import write_config
from .test_incremental import tree, write_articles

fsspec = pytest.importorskip("fsspec")


@pytest.fixture
def memory() -> Iterator[str]:
    """A folder of fsspec's memory file system (one per process), emptied after the test."""
    name = f"feedgen-{uuid.uuid4().hex}"
    yield f"memory://{name}"
    fs = fsspec.filesystem("memory")
    if fs.exists(f"/{name}"):
        fs.rm(f"/{name}", recursive=True)


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The paths of the memory file system's files read whole, as they are read."""
    fs = fsspec.filesystem("memory")
    read: list[str] = []
    cat_file = type(fs).cat_file

    def counted(self: Any, path: str, *args: Any, **kwargs: Any) -> Any:
        read.append(path)
        return cat_file(self, path, *args, **kwargs)

    monkeypatch.setattr(type(fs), "cat_file", counted)
    return read


def partitions(tmp: Path, count: int) -> list[Path]:
    """``count`` stories written for these tests, extracted into partitions, one each."""
    write_articles(tmp / "pages", count)
    assert extract_to(tmp / "parts", tmp / "pages") == 0
    return sorted((tmp / "parts").glob("*.jsonl"))


def upload(parts: list[Path], url: str) -> None:
    fs = fsspec.filesystem("memory")
    for part in parts:
        fs.pipe_file(f"{url}/{part.name}", part.read_bytes())


def source_config(tmp: Path, *paths: Path | str) -> Config:
    sources = tuple(
        SourceConfig(f"a{i}", p, ARTICLE_PATTERNS, kind="articles") for i, p in enumerate(paths)
    )
    return replace(example_config(tmp), sources=sources)


def headline(line: bytes, text: str) -> bytes:
    record = json.loads(line)
    record["headline"] = text
    return json.dumps(record, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


# ---------------------------------------------------------------- fsspec URLs


def test_a_build_from_memory_urls_equals_a_build_from_the_same_files_on_disk(
    tmp_path: Path, memory: str, capsys: pytest.CaptureFixture[str]
) -> None:
    parts = partitions(tmp_path, 12)
    upload(parts, f"{memory}/parts")
    disk = build(source_config(tmp_path / "disk", tmp_path / "parts"), now=FIXED_NOW)
    url = build(source_config(tmp_path / "url", f"{memory}/parts/"), now=FIXED_NOW)
    assert tree(tmp_path / "url" / "output") == tree(tmp_path / "disk" / "output")
    assert len(tree(tmp_path / "disk" / "output")) > 12
    assert url.counts == disk.counts
    assert url.counts.new == 12

    # and from the command line, which passes a URL on as it is
    config = write_config(tmp_path, tmp_path / "nowhere")
    args = ["build", "--config", str(config), "--articles", f"{memory}/parts"]
    assert main(args) == 0
    assert "12 articles: 12 new" in capsys.readouterr().err
    assert main(args) == 0
    assert "12 articles: 0 new, 0 updated, 12 unchanged" in capsys.readouterr().err


def test_a_changed_partition_is_read_again_an_unchanged_one_is_not(
    tmp_path: Path, memory: str, reads: list[str]
) -> None:
    parts = partitions(tmp_path, 6)
    upload(parts, f"{memory}/parts")
    fs = fsspec.filesystem("memory")
    config = source_config(tmp_path, f"{memory}/parts")
    assert build(config, now=FIXED_NOW).counts.new == 6
    assert len(set(reads)) == 6

    reads.clear()
    again = build(config, now=FIXED_NOW)
    assert (again.counts.unchanged, again.written, reads) == (6, (), [])

    changed = f"{memory}/parts/{parts[2].name}"
    fs.pipe_file(changed, headline(parts[2].read_bytes(), "A headline changed in the store"))
    fs.rm(f"{memory}/parts/{parts[4].name}")
    result = build(config, now=FIXED_NOW)
    assert set(reads) == {changed.removeprefix("memory:/")}  # the path on the file system
    assert (result.counts.updated, result.counts.removed, result.counts.unchanged) == (1, 1, 4)
    feed = json.loads((config.output_dir / "feed.json").read_text("utf-8"))
    assert "A headline changed in the store" in [i["title"] for i in feed["items"]]
    assert len(feed["items"]) == 5


def test_the_lines_of_a_url_cost_one_read_of_it_and_a_rewrite_is_seen(
    tmp_path: Path, memory: str, reads: list[str]
) -> None:
    fs = fsspec.filesystem("memory")
    made = example_articles()[:3]
    lines = [article_to_json(a) for a in made]
    fs.pipe_file(f"{memory}/a.jsonl", "".join(f"{line}\n" for line in lines).encode("utf-8"))
    config = source_config(tmp_path, f"{memory}/a.jsonl")
    assert build(config, now=FIXED_NOW).counts.new == 3
    assert len(reads) == 2  # the scan, then the three lines read

    # rewritten at the same length: the copy of the file this process read is not taken for it
    lines[1] = article_to_json(replace(made[1], headline=made[1].headline.swapcase()))
    fs.pipe_file(f"{memory}/a.jsonl", "".join(f"{line}\n" for line in lines).encode("utf-8"))
    assert build(config, now=FIXED_NOW).counts.updated == 1
    feed = json.loads((config.output_dir / "feed.json").read_text("utf-8"))
    assert made[1].headline.swapcase() in [i["title"] for i in feed["items"]]


def test_a_bad_line_of_a_url_is_named_by_the_url_and_line(tmp_path: Path, memory: str) -> None:
    fsspec.filesystem("memory").pipe_file(f"{memory}/a.jsonl", b"{broken\n")
    result = build(source_config(tmp_path, f"{memory}/a.jsonl"), now=FIXED_NOW)
    assert [(s.source, s.reason.split(" (")[0]) for s in result.skipped] == [
        (f"{memory}/a.jsonl:1", "not JSON")
    ]


def test_a_url_that_does_not_answer_stops_the_build_and_removes_nothing(
    tmp_path: Path, memory: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    parts = partitions(tmp_path, 3)
    upload(parts, f"{memory}/parts")
    config = source_config(tmp_path, f"{memory}/parts")
    build(config, now=FIXED_NOW)
    before = tree(config.output_dir)
    fs = fsspec.filesystem("memory")

    # a partition changed, and the store fails to give it
    fs.pipe_file(f"{memory}/parts/{parts[0].name}", headline(parts[0].read_bytes(), "New"))

    def fails(self: Any, path: str, *args: Any, **kwargs: Any) -> Any:
        raise ConnectionError("the store is busy")

    with monkeypatch.context() as patched:
        patched.setattr(type(fs), "cat_file", fails)
        with pytest.raises(ConfigError, match=r"cannot read memory://.* \(the store is busy\)"):
            build(config, now=FIXED_NOW)
    assert tree(config.output_dir) == before

    fs.rm(f"{memory}/parts", recursive=True)
    with pytest.raises(ConfigError, match="nothing at memory://"):
        build(config, now=FIXED_NOW)
    assert tree(config.output_dir) == before


def test_a_config_names_a_url_for_articles_only(tmp_path: Path) -> None:
    config = write_config(tmp_path, "s3://bucket/articles/", "    type: articles\n")
    assert load_config(config).sources[0].path == "s3://bucket/articles/"
    config = write_config(tmp_path, "s3://bucket/pages/")
    with pytest.raises(ConfigError, match=r"sources\[0\]\.path.*only sources of type articles"):
        load_config(config)


# ---------------------------------------------------------------- local files


def test_local_files_are_read_again_only_when_their_stat_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    parts = partitions(tmp_path, 4)
    scanned: list[str] = []
    scan_file = articles._scan_file

    def counted(location: str, max_bytes: int) -> Any:
        scanned.append(location)
        return scan_file(location, max_bytes)

    monkeypatch.setattr(articles, "_scan_file", counted)
    config = source_config(tmp_path, tmp_path / "parts")
    build(config, now=FIXED_NOW)
    assert sorted(scanned) == [str(p) for p in parts]

    scanned.clear()
    os.utime(parts[1], ns=(1_000_000_000, 1_000_000_000))  # the same bytes, another stat
    result = build(config, now=FIXED_NOW)
    assert (scanned, result.counts.unchanged) == ([str(parts[1])], 4)
    scanned.clear()
    build(config, now=FIXED_NOW)
    assert scanned == []


def test_nothing_of_fsspec_is_imported_for_local_files(tmp_path: Path) -> None:
    partitions(tmp_path, 2)
    config = write_config(tmp_path, tmp_path / "parts", "    type: articles\n")
    probe = (
        "import sys\n"
        "from feedgen_pipeline.cli import main\n"
        "code = main(sys.argv[1:])\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('fsspec', 'dask')))\n"
        "raise SystemExit(code)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe, "build", "--config", str(config)],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    assert (done.returncode, done.stdout.strip()) == (0, "[]"), done.stderr
    assert "2 articles: 2 new" in done.stderr


# ---------------------------------------------------------------- one id on several lines


def test_an_id_on_a_later_line_is_a_duplicate_named_by_its_place(tmp_path: Path) -> None:
    first, other = example_articles()[:2]
    folder = tmp_path / "parts"
    folder.mkdir()
    late, early = folder / "b.jsonl", folder / "a.jsonl"
    late.write_text(article_to_json(replace(first, headline="From b")) + "\n", "utf-8")
    config = source_config(tmp_path, folder)
    assert build(config, now=FIXED_NOW).exit_code == 0

    # the same id given in a file before it in path order: that line wins, though b's was
    # published first, and b's line is a duplicate named by its place
    lines = [article_to_json(other), article_to_json(replace(first, headline="From a"))]
    early.write_text("\n".join(lines) + "\n", "utf-8")
    result = build(config, now=FIXED_NOW)
    why = f"duplicate of {early}:2 (same id {first.id})"
    assert [(s.source, s.reason, s.duplicate_of) for s in result.skipped] == [
        (f"{late}:1", why, f"{early}:2")
    ]
    assert (result.counts.duplicates, result.counts.skipped, result.exit_code) == (1, 0, 1)
    titles = [
        i["title"] for i in json.loads((config.output_dir / "feed.json").read_bytes())["items"]
    ]
    assert "From a" in titles and "From b" not in titles
    report = json.loads((config.state_dir / "report.json").read_text("utf-8"))
    assert report["skipped"] == [
        {"source": f"{late}:1", "reason": why, "duplicate_of": f"{early}:2"}
    ]

    # named once: the next run knows it (exit 0)
    again = build(config, now=FIXED_NOW)
    assert ([s.reason for s in again.skipped], again.exit_code) == ([why], 0)

    # the first line moves: the duplicate names its new place
    early.write_text("\n".join(reversed(lines)) + "\n", "utf-8")
    moved = build(config, now=FIXED_NOW)
    assert [s.duplicate_of for s in moved.skipped] == [f"{early}:1"]

    # the first line gone: b's line is the article again
    early.write_text(lines[0] + "\n", "utf-8")
    result = build(config, now=FIXED_NOW)
    assert (result.skipped, result.exit_code) == ((), 0)
    titles = [
        i["title"] for i in json.loads((config.output_dir / "feed.json").read_bytes())["items"]
    ]
    assert "From b" in titles and "From a" not in titles


def test_the_first_source_wins_over_a_later_one(tmp_path: Path) -> None:
    article = example_articles()[0]
    for name, text in (("one", "From the first source"), ("two", "From the second")):
        (tmp_path / name).mkdir()
        line = article_to_json(replace(article, headline=text))
        (tmp_path / name / "a.jsonl").write_text(line + "\n", "utf-8")
    config = source_config(tmp_path, tmp_path / "two", tmp_path / "one")
    result = build(config, now=FIXED_NOW)
    assert [s.duplicate_of for s in result.skipped] == [f"{tmp_path / 'two' / 'a.jsonl'}:1"]
    assert [a.headline for a in result.articles] == ["From the second"]
