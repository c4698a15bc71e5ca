"""Runs as cron makes them: several processes, the lock, kill -9, and what a quiet run prints."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from feedgen_pipeline.cli import main

from .conftest import EXAMPLES, REPO
from .test_incremental import tree, write_articles

ENV = {**os.environ, "PYTHONPATH": str(REPO)}


def make_site(tmp: Path, articles: int = 0) -> Path:
    """A config over a copy of the examples (plus ``articles`` generated ones)."""
    folder = tmp / "in"
    shutil.copytree(EXAMPLES, folder)
    write_articles(folder, articles)
    path = tmp / "config.yaml"
    path.write_text(
        "feed:\n  title: Test Feed\n  base_url: https://example.org/t/\n"
        f"sources:\n  - id: a\n    path: {folder}\n",
        "utf-8",
    )
    return path


def run(*args: str, **kwargs: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "feedgen_pipeline", *args],
        capture_output=True,
        text=True,
        env=ENV,
        check=False,
        **kwargs,  # type: ignore[call-overload]
    )


def hold_lock(state_dir: Path) -> subprocess.Popen[str]:
    """Another process that takes the state lock and keeps it until killed."""
    code = (
        "import sys, time; from datetime import UTC, datetime; from pathlib import Path\n"
        "from feedgen_pipeline.state.lock import StateLock\n"
        f"with StateLock(Path({str(state_dir)!r}), now=datetime(2026, 4, 1, tzinfo=UTC)):\n"
        "    print('locked', flush=True); time.sleep(60)\n"
    )
    holder = subprocess.Popen(
        [sys.executable, "-c", code], stdout=subprocess.PIPE, text=True, env=ENV
    )
    assert holder.stdout is not None and holder.stdout.readline() == "locked\n"
    return holder


def assert_valid_output(out: Path) -> None:
    """Every file whole: XML parses, JSON loads, no temporary file under its real name."""
    for name in ("atom.xml", "rss.xml"):
        ET.fromstring((out / name).read_bytes())
    json.loads((out / "feed.json").read_text("utf-8"))
    assert (out / "index.html").read_text("utf-8").rstrip().endswith("</html>")
    for page in (out / "articles").glob("*.html"):
        assert page.read_text("utf-8").rstrip().endswith("</html>")


def test_lock_held_exits_2_naming_the_holder(tmp_path: Path) -> None:
    config = make_site(tmp_path)
    holder = hold_lock(tmp_path / ".feedgen-state")
    try:
        result = run("build", "--config", str(config))
        assert result.returncode == 2
        assert f"another build is running (held by pid {holder.pid} on " in result.stderr
        assert not (tmp_path / "output").exists()
    finally:
        holder.kill()
        holder.wait()


def test_lock_left_by_a_dead_process_does_not_block(tmp_path: Path) -> None:
    config = make_site(tmp_path)
    holder = hold_lock(tmp_path / ".feedgen-state")
    os.kill(holder.pid, signal.SIGKILL)
    holder.wait()
    # the lock file still names the dead holder; the kernel released its flock
    assert str(holder.pid) in (tmp_path / ".feedgen-state" / "lock").read_text("utf-8")
    assert run("build", "--config", str(config)).returncode == 0


def test_wait_for_the_lock(tmp_path: Path) -> None:
    config = make_site(tmp_path)
    holder = hold_lock(tmp_path / ".feedgen-state")
    killer = subprocess.Popen(["sh", "-c", f"sleep 0.5; kill {holder.pid}"])
    try:
        result = run("build", "--config", str(config), "--wait", "20")
        assert result.returncode == 0, result.stderr
    finally:
        killer.wait()
        holder.wait()


def test_two_concurrent_builds_one_lock_message_valid_output(tmp_path: Path) -> None:
    config = make_site(tmp_path, articles=200)
    args = [sys.executable, "-m", "feedgen_pipeline", "build", "--config", str(config)]
    procs = [
        subprocess.Popen([*args, "--jobs", "1"], stderr=subprocess.PIPE, text=True, env=ENV)
        for _ in range(2)
    ]
    results = [(p.wait(), p.stderr.read() if p.stderr else "") for p in procs]
    codes = sorted(code for code, _ in results)
    assert codes in ([0, 0], [0, 2]), results
    if codes == [0, 2]:
        message = next(err for code, err in results if code == 2)
        assert "another build is running (held by pid" in message
    assert_valid_output(tmp_path / "output")


@pytest.mark.parametrize("moment", ["between-output-files", "inside-state-commit"])
def test_kill_9_mid_run_leaves_previous_output_whole(tmp_path: Path, moment: str) -> None:
    config = make_site(tmp_path, articles=30)
    assert run("build", "--config", str(config)).returncode == 0
    out = tmp_path / "output"
    previous = tree(out)
    # a change that rewrites every feed file and one page, and adds one
    story = tmp_path / "in" / "story-005.txt"
    story.write_text(story.read_text("utf-8") + "\nMore about Kenya.\n", "utf-8")
    write_articles(tmp_path / "in", 1, start=99)
    target = {
        "between-output-files": "feedgen_pipeline.render.write_if_changed",
        "inside-state-commit": "feedgen_pipeline.state.store.Store.put",
    }[moment]
    # the build pauses after the first call of the target, and is killed there
    code = (
        "import os, sys, time, importlib\n"
        f"module, name = {target!r}.rsplit('.', 1)\n"
        "try:\n    owner = importlib.import_module(module)\n"
        "except ImportError:\n"
        "    mod, cls = module.rsplit('.', 1)\n"
        "    owner = getattr(importlib.import_module(mod), cls)\n"
        "real = getattr(owner, name)\n"
        "def paused(*args, **kwargs):\n"
        "    result = real(*args, **kwargs)\n"
        "    print('paused', flush=True); time.sleep(60)\n"
        "    return result\n"
        "setattr(owner, name, paused)\n"
        "from feedgen_pipeline.cli import main\n"
        f"main(['build', '--config', {str(config)!r}, '--jobs', '1'])\n"
    )
    victim = subprocess.Popen(
        [sys.executable, "-c", code], stdout=subprocess.PIPE, text=True, env=ENV
    )
    assert victim.stdout is not None and victim.stdout.readline() == "paused\n"
    os.kill(victim.pid, signal.SIGKILL)
    victim.wait()

    assert_valid_output(out)
    now = tree(out)
    for relpath, data in previous.items():  # each file is the old one or a whole new one
        assert relpath in now
        if now[relpath] != data:
            assert moment == "between-output-files"
    # the next run recovers on its own: the same output as a build from scratch
    assert run("build", "--config", str(config)).returncode == 0
    recovered = tree(out)
    assert not [p for p in recovered if "/." in f"/{p}"]  # no temporary file left
    assert "Story 99 from Japan" in (out / "feed.json").read_text("utf-8")
    assert "More about Kenya." in (out / "articles/story-005.html").read_text("utf-8")
    assert_valid_output(out)


def test_no_change_run_imports_no_parser_feed_writer_or_model(tmp_path: Path) -> None:
    config = make_site(tmp_path)
    assert run("build", "--config", str(config)).returncode == 0
    code = (
        "import sys; from feedgen_pipeline.cli import main\n"
        f"code = main(['build', '--config', {str(config)!r}])\n"
        "print(code, sorted(m for m in ('bs4', 'feedgen', 'lxml', 'soupsieve', 'tqdm',"
        " 'feedgen_pipeline.model')"
        " if m in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=ENV, check=False
    )
    assert result.stdout.strip() == "0 []", result.stderr


def test_runs_over_text_articles_never_import_the_html_parser(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    write_articles(folder, 20)
    config = tmp_path / "config.yaml"
    config.write_text(
        "feed:\n  title: Text\n  base_url: https://example.org/t/\n"
        f"sources:\n  - id: a\n    path: {folder}\n",
        "utf-8",
    )
    code = (
        "import sys; from feedgen_pipeline.cli import main\n"
        "code = main(sys.argv[1:])\n"
        "print(code, sorted(m for m in ('bs4', 'soupsieve') if m in sys.modules))\n"
    )
    build = [sys.executable, "-c", code, "build", "--config", str(config)]
    fresh = subprocess.run([*build, "--jobs", "2"], capture_output=True, text=True, env=ENV)
    assert fresh.stdout.strip() == "0 []", fresh.stderr
    with (folder / "story-007.txt").open("a", encoding="utf-8") as f:
        f.write("The talks ended on Friday.\n")
    changed = subprocess.run(build, capture_output=True, text=True, env=ENV)
    assert changed.stdout.strip() == "0 []", changed.stderr


def test_cron_run_prints_one_summary_line_and_quiet_prints_nothing(tmp_path: Path) -> None:
    config = make_site(tmp_path)
    first = run("build", "--config", str(config))
    assert first.stdout == ""
    (line,) = first.stderr.splitlines()  # no progress bar without a terminal
    assert line.startswith(
        "10 articles: 10 new, 0 updated, 0 unchanged, 0 removed, 0 skipped, 0 duplicates;"
    )
    assert line.endswith(" s")
    again = run("build", "--config", str(config), "--quiet")
    assert (again.returncode, again.stdout, again.stderr) == (0, "", "")


def test_dry_run_lists_changes_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = make_site(tmp_path)
    assert main(["build", "--config", str(config), "--dry-run"]) == 0
    assert not (tmp_path / "output").exists() and not (tmp_path / ".feedgen-state").exists()
    out = capsys.readouterr().out.splitlines()
    assert f"would add: {tmp_path / 'in' / '2026-01-15-gaza-talks.txt'}" in out
    assert f"would write: {tmp_path / 'output' / 'atom.xml'}" in out


def test_jobs_must_be_positive(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["build", "--jobs", "0"])
    assert "must be at least 1" in capsys.readouterr().err


def test_dry_run_after_a_build_with_a_relative_config(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    make_site(tmp_path)
    monkeypatch.chdir(tmp_path)
    assert main(["build", "--quiet"]) == 0
    (tmp_path / "in" / "2026-01-15-gaza-talks.txt").unlink()
    before = tree(tmp_path / "output")
    assert main(["build", "--dry-run", "--quiet"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert f"would remove: {tmp_path / 'in' / '2026-01-15-gaza-talks.txt'}" in out
    assert f"would write: {Path('output') / 'feed.json'}" in out
    assert tree(tmp_path / "output") == before
