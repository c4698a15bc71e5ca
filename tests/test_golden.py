"""Golden files: every example's extracted article and the feeds built from them, byte for byte.

Regenerate after an intended change with ``UPDATE_GOLDEN=1 pytest tests/test_golden.py`` and
review the diff.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from feedgen_pipeline import enrich_file
from feedgen_pipeline.config import load_config
from feedgen_pipeline.write.jsonfeed import article_record

from .conftest import EXAMPLES, GOLDEN, REPO, UPDATE_GOLDEN

EXAMPLE_FILES = sorted(p for p in EXAMPLES.iterdir() if p.suffix in (".html", ".txt"))


def check_golden(name: str, data: bytes) -> None:
    path = GOLDEN / name
    if UPDATE_GOLDEN:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    assert path.exists(), f"no golden file {path}; run with UPDATE_GOLDEN=1"
    expected = path.read_bytes()
    if data != expected:  # show a readable diff of the text, not two byte strings
        assert data.decode("utf-8") == expected.decode("utf-8"), name
    assert data == expected, name


def test_there_are_enough_examples() -> None:
    assert len(EXAMPLE_FILES) >= 8
    assert {p.suffix for p in EXAMPLE_FILES} == {".html", ".txt"}


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: p.name)
def test_article_golden(path: Path) -> None:
    rules = load_config(REPO / "config.yaml").rules
    record = article_record(enrich_file(path, rules, path.name), path.name)
    data = (json.dumps(record, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    check_golden(f"articles/{path.stem}.json", data)


# the whole output but the per-tag folders, of which one stands for all
GOLDEN_OUTPUT = re.compile(
    r"^(?:[^/]+|articles/[^/]+|(?:countries|actors)/index\.html|countries/ru/.+)$"
)


def test_output_golden(built: tuple[Path, object]) -> None:
    output, _ = built
    produced = sorted(p.relative_to(output).as_posix() for p in output.rglob("*") if p.is_file())
    kept = [name for name in produced if GOLDEN_OUTPUT.match(name)]
    assert {"atom.xml", "rss.xml", "feed.json", "index.html", "feeds.opml"} <= set(kept)
    for name in kept:
        check_golden(f"output/{name}", (output / name).read_bytes())
    if not UPDATE_GOLDEN:
        golden = sorted(
            p.relative_to(GOLDEN / "output").as_posix()
            for p in (GOLDEN / "output").rglob("*")
            if p.is_file()
        )
        assert golden == kept, "files appeared or disappeared"
