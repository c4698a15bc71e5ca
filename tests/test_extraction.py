"""extract --output-dir in one process (extraction.py): partitions written whole, a run cut
short finished by the next, fsspec URLs in and out, what was skipped and why."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from feedgen_pipeline import extraction
from feedgen_pipeline.api import article_from_json, load_rules
from feedgen_pipeline.extraction import Page, finish, partitions, plan, run_here

from .conftest import EXAMPLES, REPO
from .test_articles import CONFIG, extract_to, lines
from .test_incremental import tree, write_articles

fsspec = pytest.importorskip("fsspec")


def test_partitions_are_small_enough_to_share_and_named_by_what_they_hold() -> None:
    pages = [Page(f"/p/{i}.txt", f"{i}.txt", f"{i}:1") for i in range(130)]
    cut = partitions(pages, "rules", size=100)
    assert [len(p.pages) for p in cut] == [5] * 26  # at least MIN_PARTITIONS
    assert [p.pages for p in cut[:2]] == [tuple(pages[:5]), tuple(pages[5:10])]
    assert [len(p.pages) for p in partitions(pages * 100, "rules", size=100)] == [100] * 130
    assert partitions(pages, "rules", 100) == cut
    touched = [*pages[:4], Page("/p/4.txt", "4.txt", "4:2"), *pages[5:]]
    changed = [
        a.name != b.name for a, b in zip(cut, partitions(touched, "rules", 100), strict=True)
    ]
    assert changed == [True] + [False] * 25
    assert all(
        a.name != b.name for a, b in zip(cut, partitions(pages, "other rules", 100), strict=True)
    )
    assert [p.name[:12] for p in cut[:2]] == ["part-000001-", "part-000002-"]


def test_a_run_cut_short_is_finished_by_the_next_and_other_jobs_partitions_go(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "parts"
    assert extract_to(out, EXAMPLES) == 0
    first = tree(out)
    assert len(first) == 10 and all(name.endswith(".jsonl") for name in first)
    for line in lines(out):
        article_from_json(line)
    capsys.readouterr()

    # a partition lost, another job's partition, what a killed write left, a file of the user's
    lost = sorted(out.glob("*.jsonl"))[4]
    lost.unlink()
    (out / "part-000011-0123456789ab.jsonl").write_bytes(b"{}\n")
    (out / f".{lost.name}.{'0' * 32}.tmp").write_bytes(b'{"schema":1,"id"')
    (out / "notes.txt").write_text("mine", "utf-8")
    assert extract_to(out, EXAMPLES) == 0
    assert "10 articles in 10 partitions (9 written before), 0 skipped" in capsys.readouterr().err
    assert tree(out) == {**first, "notes.txt": b"mine"}


def test_a_mistyped_input_costs_no_partition_of_the_job_before(tmp_path: Path) -> None:
    out = tmp_path / "parts"
    assert extract_to(out, EXAMPLES) == 0
    before = tree(out)
    assert extract_to(out, tmp_path / "exmaples") == 1
    assert tree(out) == before


def test_skipped_pages_are_named_with_the_reason_also_once_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "pages"
    write_articles(folder, 3)
    (folder / "empty.html").write_bytes(b"")
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 8)
    for _ in range(2):
        code = extract_to(tmp_path / "parts", folder, tmp_path / "nowhere")
        err = capsys.readouterr().err
        assert code == 1
        assert f"skipped: {folder / 'empty.html'}: empty file" in err
        assert f"skipped: {folder / 'binary.txt'}: " in err
        assert f"skipped: {tmp_path / 'nowhere'}: no such file or folder" in err
        assert "5 pages: 3 articles in 5 partitions" in err
        assert ", 3 skipped;" in err
    assert len(lines(tmp_path / "parts")) == 3
    assert len(list((tmp_path / "parts").glob("*.skipped.json"))) == 2


def test_a_partition_that_cannot_be_written_fails_alone_and_says_run_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    write = extraction._write

    def failing(fs: object, path: str, data: bytes) -> None:
        if "part-000002-" in path:
            raise OSError(28, "No space left on device")
        write(fs, path, data)  # type: ignore[arg-type]

    monkeypatch.setattr(extraction, "_write", failing)
    assert extract_to(tmp_path / "parts", EXAMPLES) == 2
    err = capsys.readouterr().err
    assert "not written: [Errno 28] No space left on device" in err
    assert "run again to finish it" in err
    assert len(list((tmp_path / "parts").glob("*.jsonl"))) == 9
    monkeypatch.setattr(extraction, "_write", write)
    assert extract_to(tmp_path / "parts", EXAMPLES) == 0
    assert "(9 written before)" in capsys.readouterr().err


def test_a_write_that_fails_leaves_neither_the_partition_nor_its_temporary_file() -> None:
    fs = fsspec.filesystem("memory")

    class Failing(type(fs)):  # type: ignore[misc]
        def mv(self, *args: object, **kwargs: object) -> None:
            raise OSError("connection reset")

    failing = Failing(skip_instance_cache=True)
    with pytest.raises(OSError, match="connection reset"):
        extraction._write(failing, "/feedgen-write/part.jsonl", b"x\n")
    assert fs.find("/feedgen-write") == []


def test_memory_urls_in_and_out_and_lists_of_urls(tmp_path: Path) -> None:
    fs = fsspec.filesystem("memory")
    for page in EXAMPLES.iterdir():
        fs.pipe_file(f"/feedgen-in/examples/{page.name}", page.read_bytes())
    fs.pipe_file("/feedgen-in/.hidden/x.html", b"<p>not read</p>")
    assert extract_to(tmp_path / "local", EXAMPLES) == 0

    rules = load_rules(CONFIG)
    job = plan(["memory://feedgen-in/examples"], [], "memory://feedgen-out", rules)
    result = finish(job, run_here(job))
    assert (result.pages, result.articles, result.skipped) == (10, 10, ())
    written = sorted(
        line for f in fs.glob("/feedgen-out/*.jsonl") for line in fs.cat_file(f).splitlines()
    )
    assert written == lines(tmp_path / "local")

    # a list naming pages one a line, in a file that is itself a URL
    listed = [f"memory://feedgen-in/examples/{p.name}" for p in sorted(EXAMPLES.iterdir())[:3]]
    missing = "memory://feedgen-in/none.html"
    fs.pipe_file("/feedgen-in/list.txt", "\n".join(["# pages", *listed, "", missing]).encode())
    job = plan([], ["memory://feedgen-in/list.txt"], str(tmp_path / "listed"), rules)
    result = finish(job, run_here(job))
    assert [p.relpath for p in job.partitions[0].pages] == [listed[0].split("://")[1]]
    assert (result.pages, result.articles) == (3, 3)
    assert [(s.source, s.reason) for s in result.skipped] == [(missing, "no such file or folder")]


def test_without_dask_nothing_of_dask_is_imported(tmp_path: Path) -> None:
    script = (
        "import sys\n"
        "from feedgen_pipeline.cli import main\n"
        f"code = main(['extract', {str(EXAMPLES)!r}, '--output-dir', {str(tmp_path)!r}])\n"
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] in ('dask', 'distributed'))\n"
        "print(code, loaded)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=REPO, check=True
    )
    assert result.stdout.strip() == "0 []"
    assert len(list(tmp_path.glob("*.jsonl"))) == 10


def test_options_that_need_an_output_folder_say_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from feedgen_pipeline.cli import main

    assert main(["extract", str(EXAMPLES), "--dask", "local:2"]) == 2
    assert "give --output-dir" in capsys.readouterr().err
    assert main(["extract", str(EXAMPLES), "--output-dir", str(tmp_path), "--explain"]) == 2
    assert main(["extract", "--output-dir", str(tmp_path)]) == 2
    assert main(["extract", str(EXAMPLES), "--output-dir", str(tmp_path), "--dask", "local:0"]) == 2
    assert "expected local:N" in capsys.readouterr().err
    blocked = tmp_path / "file"
    blocked.write_text("", "utf-8")
    assert main(["extract", str(EXAMPLES), "--output-dir", str(blocked / "x")]) == 2
    assert "cannot write there" in capsys.readouterr().err


def test_a_folder_copied_elsewhere_gives_the_same_articles(tmp_path: Path) -> None:
    shutil.copytree(EXAMPLES, tmp_path / "copy")
    assert extract_to(tmp_path / "a", EXAMPLES) == extract_to(tmp_path / "b", tmp_path / "copy")
    assert lines(tmp_path / "a") == lines(tmp_path / "b")
