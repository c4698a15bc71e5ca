"""What the digests of a run's inputs see (``digests.py``), and what they must not."""

from __future__ import annotations

import os
from pathlib import Path

from feedgen_pipeline.digests import digest, files_digest


def test_parts_are_told_apart() -> None:
    assert digest(["ab", "c"]) != digest(["a", "bc"])
    assert digest(["a", "b"]) == digest(iter(["a", "b"])) != digest(["b", "a"])
    assert len(digest([])) == 24
    assert digest(["lone \udc80 surrogate"]) != digest(["lone  surrogate"])


def make_folder(root: Path) -> Path:
    folder = root / "templates"
    (folder / "partials").mkdir(parents=True)
    (folder / "page.html").write_text("<p>{{ body }}</p>", "utf-8")
    (folder / "partials" / "meta.html").write_text("<meta>", "utf-8")
    return folder


def test_a_folder_by_names_and_bytes(tmp_path: Path) -> None:
    folder = make_folder(tmp_path)
    before = files_digest([folder])
    page = folder / "page.html"
    os.utime(page, ns=(1, 1))  # a new mtime, the same bytes
    assert files_digest([folder]) == before
    page.write_text("<p>{{ body }}</p>\n", "utf-8")
    assert files_digest([folder]) != before
    page.write_text("<p>{{ body }}</p>", "utf-8")
    assert files_digest([folder]) == before
    (folder / "partials" / "meta.html").write_text("<meta >", "utf-8")  # below the top
    assert files_digest([folder]) != before


def test_a_file_renamed_or_moved_to_another_folder_changes_it(tmp_path: Path) -> None:
    folder = make_folder(tmp_path)
    before = files_digest([folder])
    (folder / "page.html").rename(folder / "other.html")
    assert files_digest([folder]) != before
    (folder / "other.html").rename(folder / "page.html")
    assert files_digest([folder]) == before
    other = tmp_path / "write"
    other.mkdir()
    both = files_digest([folder, other])
    (folder / "page.html").rename(other / "page.html")
    assert files_digest([folder, other]) != both


def test_stat_only_sees_sizes_and_mtimes_without_reading(tmp_path: Path) -> None:
    folder = make_folder(tmp_path)
    page = folder / "page.html"
    os.utime(page, ns=(1, 1))
    before = files_digest([folder], stat_only=True)
    assert before != files_digest([folder])
    page.write_text("<p>{{ text }}</p>", "utf-8")  # the same size
    os.utime(page, ns=(1, 1))
    assert files_digest([folder], stat_only=True) == before
    os.utime(page, ns=(2, 2))
    assert files_digest([folder], stat_only=True) != before


def test_compiled_python_is_left_out(tmp_path: Path) -> None:
    folder = tmp_path / "code"
    folder.mkdir()
    (folder / "mod.py").write_text("x = 1\n", "utf-8")
    before = [files_digest([folder]), files_digest([folder], stat_only=True)]
    (folder / "__pycache__").mkdir()
    (folder / "__pycache__" / "mod.cpython-311.pyc").write_bytes(b"\0compiled")
    (folder / "old.pyc").write_bytes(b"\0compiled")
    assert [files_digest([folder]), files_digest([folder], stat_only=True)] == before


def test_a_file_stands_for_itself(tmp_path: Path) -> None:
    config = tmp_path / "config.yaml"
    config.write_text("feed:\n  title: T\n", "utf-8")
    before = files_digest([config])
    assert files_digest([str(config)]) == before
    config.write_text("feed:\n  title: U\n", "utf-8")
    assert files_digest([config]) != before
