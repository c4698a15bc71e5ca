"""The command line: one test per exit code, extract's JSON Lines, help and README."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from feedgen_pipeline.cli import _parser, main

from .conftest import EXAMPLES, REPO


def write_config(folder: Path, articles: Path, extra: str = "") -> Path:
    path = folder / "config.yaml"
    path.write_text(
        "feed:\n  title: Test Feed\n  base_url: https://example.org/t/\n"
        f"sources:\n  - id: a\n    path: {articles}\n{extra}",
        "utf-8",
    )
    return path


def test_build_exit_0_and_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = write_config(tmp_path, EXAMPLES)
    assert main(["build", "--config", str(config)]) == 0
    out = tmp_path / "output"
    for name in ("atom.xml", "rss.xml", "feed.json", "index.html"):
        assert (out / name).is_file()
    assert "10 articles: 10 new, 0 updated, 0 unchanged, 0 removed, 0 skipped" in (
        capsys.readouterr().err
    )


def test_build_exit_1_names_the_skipped_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    articles = tmp_path / "in"
    articles.mkdir()
    (articles / "good.txt").write_text("Headline\n\nDek.\n\nBody about France.\n", "utf-8")
    (articles / "empty.html").write_bytes(b"")
    config = write_config(tmp_path, articles)
    assert main(["build", "--config", str(config)]) == 1
    err = capsys.readouterr().err
    assert f"skipped: {articles / 'empty.html'}: empty file" in err
    feed = json.loads((tmp_path / "output" / "feed.json").read_text("utf-8"))
    assert [i["title"] for i in feed["items"]] == ["Headline"]


def test_build_with_only_bad_input_keeps_previous_output(tmp_path: Path) -> None:
    articles = tmp_path / "in"
    articles.mkdir()
    (articles / "good.txt").write_text("Headline\n\nDek.\n\nBody.\n", "utf-8")
    config = write_config(tmp_path, articles)
    assert main(["build", "--config", str(config)]) == 0
    before = (tmp_path / "output" / "atom.xml").read_bytes()
    (articles / "good.txt").write_bytes(b"")
    assert main(["build", "--config", str(config)]) == 1
    assert (tmp_path / "output" / "atom.xml").read_bytes() == before


def test_build_exit_2_on_bad_config_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = write_config(tmp_path, EXAMPLES, "unknown_section: 1\n")
    assert main(["build", "--config", str(config)]) == 2
    assert f"{config}:7: unknown_section: unknown key" in capsys.readouterr().err
    assert not (tmp_path / "output").exists()


def test_build_exit_2_on_missing_source_folder(tmp_path: Path) -> None:
    config = write_config(tmp_path, tmp_path / "missing")
    assert main(["build", "--config", str(config)]) == 2
    assert not (tmp_path / "output").exists()


def test_build_overrides(tmp_path: Path) -> None:
    config = write_config(tmp_path, tmp_path / "missing")
    out = tmp_path / "elsewhere"
    code = main(
        [
            "build",
            "--config",
            str(config),
            "--input",
            str(EXAMPLES),
            "--output",
            str(out),
            "--base-url",
            "https://news.example/sub",
        ]
    )
    assert code == 0
    feed = json.loads((out / "feed.json").read_text("utf-8"))
    assert feed["feed_url"] == "https://news.example/sub/feed.json"


def test_extract_prints_json_lines(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    one = EXAMPLES / "2026-01-15-gaza-talks.txt"
    assert main(["extract", str(one), str(EXAMPLES), "--config", str(tmp_path / "none.yaml")]) == 0
    lines = capsys.readouterr().out.splitlines()
    records = [json.loads(line) for line in lines]
    assert len(records) == 1 + len(list(EXAMPLES.glob("*.*")))
    assert records[0]["_enrichment"]["source"] == str(one)
    assert records[0]["image"]["credit"] == "Ahmed Saleh / Anadolu Agency / Getty"
    for key in ("id", "url", "headline", "summary", "image", "authors", "published", "updated"):
        assert key in records[0]


def test_extract_explain_names_rules(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["extract", "--explain", str(EXAMPLES / "2026-03-04-black-sea-grain.html")]) == 0
    record = json.loads(capsys.readouterr().out)
    rules = {(e["field"], e["rule"]) for e in record["_explain"]["fields"]}
    assert ("headline", "json-ld") in rules
    assert ("image_credit", "credit-class") in rules  # the credit the page shows comes first


PAGE = (
    '<html lang="de"><head><title>Radweg kommt</title>{head}</head><body><article>'
    "<h1>Radweg kommt</h1><p>Von Eva Muster</p>"
    "<p>Der Gemeinderat hat am Abend über den neuen Radweg beraten und ihn beschlossen.</p>"
    "</article></body></html>"
)


@pytest.mark.parametrize(
    "head, published, rule",
    [
        (
            '<link rel="canonical" href="https://news.example/2021/03/04/radweg/">',
            "2021-03-04T00:00:00+00:00",
            "url",
        ),
        # a date later than now is not the page's: extract drops it and says why
        (
            '<meta property="article:published_time" content="2999-01-01T10:00:00Z">',
            None,
            "later-than-now",
        ),
    ],
)
def test_extract_explain_names_the_source_of_dates_and_bylines(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    head: str,
    published: str | None,
    rule: str,
) -> None:
    page = tmp_path / "radweg.html"
    page.write_text(PAGE.format(head=head), "utf-8")
    config = str(tmp_path / "none.yaml")
    assert main(["extract", "--explain", str(page), "--config", config]) == 0
    record = json.loads(capsys.readouterr().out)
    assert (record["published"], record["authors"]) == (published, ["Eva Muster"])
    fields = [(e["field"], e["rule"]) for e in record["_explain"]["fields"]]
    assert ("authors", "byline text") in fields
    assert [r for f, r in fields if f == "published"][-1] == rule


def test_extract_exit_1_on_bad_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_text("   \n\n", "utf-8")
    assert main(["extract", str(bad)]) == 1
    assert str(bad) in capsys.readouterr().err


def test_check_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--config", str(REPO / "config.yaml")]) == 0
    assert main(["check", "--config", str(write_config(tmp_path, EXAMPLES, "x: 1\n"))]) == 2


def test_every_command_has_help_and_is_in_readme() -> None:
    readme = (REPO / "README.md").read_text("utf-8")
    commands = _parser()._subparsers._group_actions[0].choices  # type: ignore[union-attr]
    assert set(commands) == {"build", "extract", "check"}
    for name, sub in commands.items():
        assert sub.description, name
        assert f"feedgen-pipeline {name}" in readme, name


def test_readme_opens_with_the_two_commands() -> None:
    lines = (REPO / "README.md").read_text("utf-8").splitlines()
    block = lines[lines.index("```sh") + 1 : lines.index("```sh") + 3]
    assert block[0].startswith("pip install . && feedgen-pipeline build")
    assert block[1].startswith("pip install -e '.[test]' && pytest")
    assert "pytest" in (REPO / ".ci" / "run").read_text("utf-8").splitlines()


def test_python_dash_m_runs_the_cli() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "feedgen_pipeline", "--version"],
        capture_output=True,
        text=True,
        env={**os.environ},
        check=False,
    )
    assert result.returncode == 0 and "feedgen-pipeline" in result.stdout


def test_the_command_flushes_its_output_and_keeps_its_exit_code(tmp_path: Path) -> None:
    """``run`` ends the process without the interpreter's teardown: what was printed must
    still arrive whole through a pipe, and the exit code must be main's."""
    files = sorted(EXAMPLES.glob("*.*"))
    command = [sys.executable, "-m", "feedgen_pipeline"]
    # block-buffered output, as under cron
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    result = subprocess.run(
        [*command, "extract", *map(str, files)],
        capture_output=True,
        text=True,
        check=False,
        env=env,
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == len(files)
    assert [json.loads(line)["_enrichment"]["source"] for line in lines] == list(map(str, files))
    missing = tmp_path / "missing.yaml"
    result = subprocess.run(
        [*command, "build", "--config", str(missing)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 2
    assert str(missing) in result.stderr


def test_readme_stays_short_and_its_links_resolve() -> None:
    """README.md is for users; deep material lives in docs/, and every link there must exist."""
    readme = (REPO / "README.md").read_text("utf-8")
    assert len(readme.splitlines()) <= 220
    docs = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]
    for doc in docs:
        for target in re.findall(r"\]\(([^)#:]+\.md)\)", doc.read_text("utf-8")):
            assert (doc.parent / target).is_file(), f"{doc.name} links to missing {target}"
