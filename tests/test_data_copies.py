"""The built-in data files read through their JSON copies (config/data.py): the same data as
the YAML gives, parsed again when a copy is missing, damaged or cannot be kept."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from feedgen_pipeline.config import data
from feedgen_pipeline.config.data import DATA_DIR, read_data

NAMES = sorted(p.name for p in DATA_DIR.glob("*.yaml"))


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return tmp_path / "cache" / "feedgen-pipeline"


def _parsed(name: str) -> Any:
    return data._parse((DATA_DIR / name).read_bytes())


def _no_yaml(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(raw: bytes) -> Any:
        raise AssertionError("the YAML was parsed")

    monkeypatch.setattr(data, "_parse", refuse)


@pytest.mark.parametrize("name", NAMES)
def test_a_copy_gives_what_the_yaml_gives_and_spares_parsing_it(
    name: str, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = _parsed(name)
    assert read_data(name) == expected
    assert len(list(cache.glob(f"{Path(name).stem}-*.json"))) == 1
    _no_yaml(monkeypatch)
    assert read_data(name) == expected


def test_a_damaged_copy_is_parsed_again_and_written_anew(cache: Path) -> None:
    read_data("roles.yaml")
    (copy,) = cache.glob("roles-*.json")
    copy.write_text('{"roles": [', "utf-8")
    assert read_data("roles.yaml") == _parsed("roles.yaml")
    assert json.loads(copy.read_text("utf-8")) == _parsed("roles.yaml")


def test_a_copy_is_named_by_the_bytes_of_its_yaml(cache: Path) -> None:
    read_data("roles.yaml")
    (copy,) = cache.glob("roles-*.json")
    copy.write_text('{"roles": ["a stale copy"]}', "utf-8")
    assert read_data("roles.yaml")["roles"] == ["a stale copy"]  # the same bytes: trusted
    other = data._copy_path("roles.yaml", (DATA_DIR / "roles.yaml").read_bytes() + b"\n")
    assert other is not None and other != copy  # edited YAML: another copy, parsed again
    data._keep(other, {"roles": ["edited"]})
    assert sorted(cache.glob("roles-*.json")) == [other]  # the older copy goes


def test_without_a_cache_folder_the_yaml_is_parsed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    monkeypatch.delenv("HOME", raising=False)
    assert data.cache_dir() is None
    assert read_data("roles.yaml") == _parsed("roles.yaml")
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the folder would be", "utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))
    assert read_data("roles.yaml") == _parsed("roles.yaml")


def test_data_json_would_change_is_not_copied(cache: Path) -> None:
    copy = cache / "odd.json"
    data._keep(copy, {1: "a key that is not a string"})
    assert not copy.exists()
    data._keep(copy, {"fine": [1, 2.5, True, None]})
    assert json.loads(copy.read_text("utf-8")) == {"fine": [1, 2.5, True, None]}
