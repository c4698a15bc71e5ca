"""The no-change check a cron run makes before importing the pipeline (``quick.py``)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import EXAMPLES

PROBE = (
    "import sys\n"
    "from feedgen_pipeline.cli import main\n"
    "code = main(sys.argv[1:])\n"
    "print('pipeline imported' if 'feedgen_pipeline.pipeline' in sys.modules else 'quick')\n"
    "raise SystemExit(code)\n"
)


def run(config: Path, *extra: str) -> tuple[int, str, str]:
    """A build in a process of its own: (exit code, how it ended, stderr)."""
    done = subprocess.run(
        [sys.executable, "-c", PROBE, "build", "--config", str(config), *extra],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)},
    )
    return done.returncode, done.stdout.strip(), done.stderr


@pytest.fixture
def site(tmp_path: Path) -> Path:
    articles = tmp_path / "articles"
    articles.mkdir()
    for path in sorted(EXAMPLES.glob("*.txt")):
        (articles / path.name).write_bytes(path.read_bytes())
    config = tmp_path / "config.yaml"
    config.write_text(
        "feed:\n  title: T\n  base_url: https://example.org/t/\nsources:\n  - path: articles\n",
        "utf-8",
    )
    return config


def test_second_run_ends_in_the_quick_check(site: Path) -> None:
    assert run(site)[:2] == (0, "pipeline imported")
    code, how, err = run(site)
    assert (code, how) == (0, "quick")
    assert "4 articles: 0 new, 0 updated, 4 unchanged" in err


@pytest.mark.parametrize("change", ["input", "new input", "config", "output", "override"])
def test_any_change_goes_to_the_pipeline(site: Path, change: str) -> None:
    run(site)
    extra: list[str] = []
    articles = site.parent / "articles"
    if change == "input":
        path = next(articles.glob("*.txt"))
        path.write_text(path.read_text("utf-8") + "\nOne more line about Peru.\n", "utf-8")
    elif change == "new input":
        (articles / "new.txt").write_text("New\n\nDek.\n\nBody about Chile.\n", "utf-8")
    elif change == "config":
        site.write_text(site.read_text("utf-8").replace("title: T", "title: U"), "utf-8")
    elif change == "output":
        (site.parent / "output" / "atom.xml").write_text("broken", "utf-8")
    else:
        extra = ["--base-url", "https://example.org/other/"]
    code, how, _ = run(site, *extra)
    assert (code, how) == (0, "pipeline imported")
    feed = (site.parent / "output" / "atom.xml").read_text("utf-8")
    assert feed.startswith("<?xml")  # a damaged output is rebuilt
    if change == "new input":
        assert "<title>New</title>" in feed


def test_skipped_files_are_named_again_with_exit_1(site: Path) -> None:
    (site.parent / "articles" / "empty.txt").write_bytes(b"")
    assert run(site)[0] == 1
    code, how, err = run(site)
    assert (code, how) == (1, "quick")
    assert "empty.txt: empty file" in err


def test_a_damaged_stamp_is_ignored(site: Path) -> None:
    run(site)
    stamp = site.parent / ".feedgen-state" / "quick.json"
    stamp.write_text("{not json", "utf-8")
    assert run(site)[:2] == (0, "pipeline imported")
    assert json.loads(stamp.read_text("utf-8"))["files"] == 4  # written anew


def test_a_stamp_round_trips_through_the_state_codec() -> None:
    from feedgen_pipeline.outcome import Skipped
    from feedgen_pipeline.quick import Stamp
    from feedgen_pipeline.state.codec import CodecError, decode, encode

    stamp = Stamp(
        key="k",
        code="c",
        sources=(("/in", ("*.txt", "*.html")),),
        templates=None,
        inputs="i",
        files=2,
        outputs=(("/out/atom.xml", 10, 1_700_000_000_000_000_000),),
        folders=(("/out/articles", 5),),
        total=1,
        skipped=(Skipped("/in/b.txt", "duplicate of a.txt", duplicate_of="a.txt"),),
    )
    data = json.loads(json.dumps(encode(stamp)))
    assert decode(Stamp, data) == stamp
    data["outputs"] = [["/out/atom.xml", 10]]  # one of (path, size, mtime) short
    with pytest.raises(CodecError, match=r"Stamp\.outputs\[0\]: expected a list of 3"):
        decode(Stamp, data)
    data["outputs"] = [["/out/atom.xml", "10", 1]]
    with pytest.raises(CodecError, match=r"Stamp\.outputs\[0\]\[1\]: expected int"):
        decode(Stamp, data)
    data["outputs"] = [["/out/atom.xml", True, 1]]  # a bool is no size
    with pytest.raises(CodecError, match=r"Stamp\.outputs\[0\]\[1\]: expected int"):
        decode(Stamp, data)
    data["outputs"] = []
    data["folders"] = [["/out/a", 1], ["/out/b", 2.5], ["/out/c", 3]]
    with pytest.raises(CodecError, match=r"Stamp\.folders\[1\]\[1\]: expected int"):
        decode(Stamp, data)


def test_a_stamp_of_another_shape_is_ignored(site: Path) -> None:
    """A stamp written before it went through the state's codec (its skipped inputs as lists)
    does not decode: the run does the full check, and leaves a stamp of the new shape."""
    (site.parent / "articles" / "empty.txt").write_bytes(b"")
    run(site)
    path = site.parent / ".feedgen-state" / "quick.json"
    stamp = json.loads(path.read_text("utf-8"))
    (skipped,) = stamp["skipped"]
    stamp["skipped"] = [[skipped["source"], skipped["reason"], skipped["duplicate_of"]]]
    path.write_text(json.dumps(stamp), "utf-8")
    assert run(site)[:2] == (1, "pipeline imported")
    assert json.loads(path.read_text("utf-8"))["skipped"] == [skipped]
    assert run(site)[:2] == (1, "quick")


def test_dry_run_and_rebuild_never_take_the_quick_path(site: Path) -> None:
    run(site)
    assert run(site, "--rebuild")[1] == "pipeline imported"
    assert run(site, "--dry-run")[1] == "pipeline imported"


def test_a_changed_input_is_scanned_once(site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The pipeline takes over the folder scan the failed check made (a scan of 10,000 files
    costs about 40 ms of a run that re-reads one of them)."""
    from feedgen_pipeline import pipeline, quick
    from feedgen_pipeline.cli import main

    run(site)
    path = next((site.parent / "articles").glob("*.txt"))
    path.write_text(path.read_text("utf-8") + "\nOne more line about Peru.\n", "utf-8")
    scanned: list[str] = []

    def counting(root: Path, patterns: tuple[str, ...]) -> list[tuple[str, str, str]]:
        scanned.append(str(root))
        return scan_files(root, patterns)

    scan_files = quick.scan_files
    monkeypatch.setattr(quick, "scan_files", counting)
    monkeypatch.setattr(pipeline, "scan_files", counting)
    assert main(["build", "--config", str(site), "--quiet"]) == 0
    assert len(scanned) == 1
    assert "One more line about Peru" in (site.parent / "output" / "feed.json").read_text("utf-8")


@pytest.mark.parametrize("how", ["removed", "replaced", "folder removed"])
def test_a_file_below_the_top_removed_or_replaced_goes_to_the_pipeline(
    site: Path, how: str
) -> None:
    """The check stats the output folders, not their files: adding, removing or renaming a file
    into place changes its folder's mtime."""
    run(site)
    feed = site.parent / "output" / "countries" / "sa" / "atom.xml"
    good = feed.read_bytes()
    if how == "removed":
        feed.unlink()
    elif how == "replaced":
        temp = feed.with_name("edited.tmp")
        temp.write_bytes(b"edited")
        temp.rename(feed)
    else:
        subprocess.run(["rm", "-r", str(feed.parent)], check=True)
    assert run(site)[:2] == (0, "pipeline imported")
    assert feed.read_bytes() == good


def test_a_file_below_the_top_written_over_in_place_waits_for_rebuild(site: Path) -> None:
    """What the folder check cannot see, and so a run with inputs to read does not look for
    either (statting every output file of a large site costs more than a small change): a
    run that cannot trust the stamp, such as ``--rebuild``, finds it."""
    run(site)
    feed = site.parent / "output" / "countries" / "sa" / "atom.xml"
    good = feed.read_bytes()
    with feed.open("r+b") as f:
        f.write(b"edited")
    assert run(site)[:2] == (0, "quick")
    (site.parent / "articles" / "new.txt").write_text("New\n\nDek.\n\nBody about Peru.\n", "utf-8")
    assert run(site)[:2] == (0, "pipeline imported")
    assert feed.read_bytes().startswith(b"edited")
    assert run(site, "--rebuild")[:2] == (0, "pipeline imported")
    assert feed.read_bytes() == good


def test_a_duplicate_is_news_once_then_quiet(site: Path) -> None:
    """Wire copies and re-saved pages make duplicates normal: the run that finds one exits 1 and
    names it; later runs, full or quick, exit 0 and name it only without --quiet."""
    articles = site.parent / "articles"
    original = next(iter(sorted(articles.glob("*.txt"))))
    (articles / "zz-copy.txt").write_bytes(original.read_bytes())
    code, _, err = run(site, "--quiet")
    assert code == 1 and f"zz-copy.txt: duplicate of {original.name}" in err
    report = json.loads((site.parent / ".feedgen-state" / "report.json").read_text("utf-8"))
    assert report["skipped"] == [
        {
            "source": str(articles / "zz-copy.txt"),
            "reason": f"duplicate of {original.name} (same content)",
            "duplicate_of": original.name,
        }
    ]
    assert run(site, "--quiet") == (0, "quick", "")  # the quick check
    (articles / "new.txt").write_text("New\n\nDek.\n\nBody about Chile.\n", "utf-8")
    assert run(site, "--quiet") == (0, "pipeline imported", "")  # a full run
    code, how, err = run(site)
    assert (code, how) == (0, "quick")
    assert "zz-copy.txt: duplicate of" in err and "1 skipped" not in err
    assert "0 skipped, 1 duplicates" in err
    (articles / "zz-second.txt").write_bytes(original.read_bytes())  # a new one is news again
    code, _, err = run(site, "--quiet")
    assert code == 1 and "zz-second.txt" in err and "zz-copy.txt" not in err


def test_other_skips_keep_exit_1_on_every_run(site: Path) -> None:
    (site.parent / "articles" / "empty.txt").write_bytes(b"")
    (site.parent / "articles" / "new.txt").write_text("New\n\nDek.\n\nOn Chile.\n", "utf-8")
    assert run(site, "--quiet")[0] == 1
    (site.parent / "articles" / "new.txt").write_text("New\n\nDek.\n\nOn Peru.\n", "utf-8")
    code, how, err = run(site, "--quiet")
    assert (code, how) == (1, "pipeline imported") and "empty.txt: empty file" in err


def test_a_run_around_a_change_leaves_the_stamp_a_whole_listing_gives(site: Path) -> None:
    """A run that trusts the output updates the stamp from what it changed (``restamp``),
    without listing every output file: the stamp must be the one the listing gives."""
    from feedgen_pipeline.quick import output_stats
    from feedgen_pipeline.state.store import Store

    run(site)
    articles = site.parent / "articles"
    (articles / "zz-new.txt").write_text(
        "Envoy in Lima\n\nA dek.\n\nPeruvian President Zora Vale met Chilean envoys.\n", "utf-8"
    )
    first = sorted(articles.glob("*.txt"))[0]
    first.write_text(first.read_text("utf-8") + "\nOne more line about Kenya.\n", "utf-8")
    assert run(site)[:2] == (0, "pipeline imported")
    state = site.parent / ".feedgen-state"
    stamp = json.loads((state / "quick.json").read_text("utf-8"))
    store = Store(state, readonly=True)
    listed = [(r, o.size, o.mtime_ns) for r, o in store.outputs().items()]
    store.close()
    top, folders = output_stats(str(site.parent / "output"), listed)
    assert sorted(map(tuple, stamp["outputs"])) == sorted(top)
    assert [tuple(f) for f in stamp["folders"]] == list(folders)
    assert any(f.endswith("countries/pe") for f, _ in folders)  # a folder this run made
    assert run(site)[:2] == (0, "quick")


def test_an_articles_source_ends_in_the_quick_check_until_a_partition_changes(
    tmp_path: Path,
) -> None:
    """The input files of a source of articles are its JSON Lines files: their stats tell
    the check what they told it of a folder's pages."""
    from .test_articles import extract_to
    from .test_incremental import write_articles

    write_articles(tmp_path / "pages", 3)
    assert extract_to(tmp_path / "extracted", tmp_path / "pages") == 0
    lines = [p.read_bytes() for p in sorted((tmp_path / "extracted").glob("*.jsonl"))]
    (tmp_path / "parts").mkdir()
    (tmp_path / "parts" / "a.jsonl").write_bytes(b"".join(lines[:2]))  # two files, three lines
    (tmp_path / "parts" / "b.jsonl").write_bytes(lines[2])
    config = tmp_path / "config.yaml"
    config.write_text(
        "feed:\n  title: T\n  base_url: https://example.org/t/\n"
        "sources:\n  - path: parts\n    type: articles\n",
        "utf-8",
    )
    assert run(config)[:2] == (0, "pipeline imported")
    code, how, err = run(config)
    assert (code, how) == (0, "quick")
    assert "3 articles: 0 new, 0 updated, 3 unchanged" in err
    os.utime(tmp_path / "parts" / "b.jsonl", ns=(1_000_000_000, 1_000_000_000))
    code, how, err = run(config)
    assert (code, how) == (0, "pipeline imported")
    assert "3 articles: 0 new, 0 updated, 3 unchanged" in err
    assert run(config)[:2] == (0, "quick")


def test_file_patterns_match_as_fnmatch_does(tmp_path: Path) -> None:
    import fnmatch

    from feedgen_pipeline.sources import scan_files

    names = ["a.html", "a.htm", "a.HTML", "a.html.bak", "a.txt", "atxt", "b.htmx", "story-1.txt"]
    for name in names:
        (tmp_path / name).write_text("x", "utf-8")
    # suffixes only (tested by their ends), and patterns that need the full glob
    for patterns in [("*.html", "*.htm", "*.txt"), ("story-*.txt",), ("*.txt", "a.*"), ("*.ht?",)]:
        found = [relpath for _, relpath, _ in scan_files(tmp_path, patterns)]
        wanted = [n for n in sorted(names) if any(fnmatch.fnmatchcase(n, p) for p in patterns)]
        assert found == wanted, patterns
