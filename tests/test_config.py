"""Config errors: all reported at once, each with file, line and key path."""

from __future__ import annotations

from pathlib import Path

import pytest

from feedgen_pipeline.config import default_rules, load_config, with_overrides
from feedgen_pipeline.errors import ConfigError

from .conftest import REPO

GOOD = """\
feed:
  title: Test
  base_url: https://example.org/news
sources:
  - path: articles
"""


def load(tmp_path: Path, text: str) -> object:
    path = tmp_path / "config.yaml"
    path.write_text(text, "utf-8")
    return load_config(path)


def problems(tmp_path: Path, text: str) -> list[str]:
    with pytest.raises(ConfigError) as info:
        load(tmp_path, text)
    return list(info.value.problems)


def test_repository_config_loads() -> None:
    config = load_config(REPO / "config.yaml")
    assert config.feed.base_url.endswith("/")
    assert [p.id for p in config.rules.credit_line_patterns][-1] == "courtesy-of"


def test_minimal_config_gets_defaults(tmp_path: Path) -> None:
    config = load(tmp_path, GOOD)
    assert config.feed.base_url == "https://example.org/news/"  # type: ignore[attr-defined]
    assert config.feed.max_entries == 50  # type: ignore[attr-defined]
    assert config.sources[0].path == tmp_path / "articles"  # type: ignore[attr-defined]
    assert config.rules == default_rules()  # type: ignore[attr-defined]


def test_every_problem_is_reported_at_once_with_line_and_key(tmp_path: Path) -> None:
    text = """\
feed:
  title: Test
  base_url: ftp://example.org/
  max_entries: ten
  colour: blue
sources:
  - path: articles
    patterns: "*.html"
output:
  dir: 3
rules:
  credit:
    line_patterns:
      - id: broken
        regex: '(?P<credit>[unclosed'
      - id: no-group
        regex: 'Photo: .+'
  html:
    boilerplate:
      - id: bad-css
        selector: 'div[['
"""
    found = problems(tmp_path, text)
    path = tmp_path / "config.yaml"
    expected = [
        (3, "feed.base_url", "absolute http(s) URL"),
        (4, "feed.max_entries", "expected an integer"),
        (5, "feed.colour", "unknown key"),
        (8, "sources[0].patterns", "expected a list"),
        (10, "output.dir", "expected a string"),
        (15, "rules.credit.line_patterns[0].regex", "does not compile"),
        (17, "rules.credit.line_patterns[1].regex", "group named `credit`"),
        (21, "rules.html.boilerplate[0].selector", "does not parse"),
    ]
    assert len(found) == len(expected), found
    for (line, key, words), problem in zip(expected, sorted(found, key=_line), strict=True):
        assert problem.startswith(f"{path}:{line}: {key}: "), problem
        assert words in problem


def _line(problem: str) -> int:
    return int(problem.split(":")[1])


def test_missing_required_keys(tmp_path: Path) -> None:
    found = problems(tmp_path, "feed:\n  title: Only a title\n")
    assert any("feed.base_url: required key is missing" in p for p in found)
    assert any("sources: required key is missing" in p for p in found)


def test_invalid_yaml_names_the_line(tmp_path: Path) -> None:
    found = problems(tmp_path, "feed:\n  title: [unclosed\n  base_url: x\n")
    assert len(found) == 1
    assert found[0].startswith(f"{tmp_path / 'config.yaml'}:") and "invalid YAML" in found[0]


def test_missing_file_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read config"):
        load_config(tmp_path / "nope.yaml")


def test_user_rules_override_extend_and_disable_builtins(tmp_path: Path) -> None:
    config = load(
        tmp_path,
        GOOD
        + """\
rules:
  summary:
    max_chars: 120
  credit:
    line_patterns:
      - id: photo-label
        enabled: false
      - id: image-credits
        regex: '^Pic: (?P<credit>.+)$'
      - id: via
        regex: '^Via (?P<credit>.+)$'
""",
    )
    rules = config.rules  # type: ignore[attr-defined]
    assert rules.summary_max_chars == 120
    ids = [p.id for p in rules.credit_line_patterns]
    assert ids == ["image-credits", "credit-label", "via"]
    assert rules.credit_line_patterns[0].regex.pattern == "^Pic: (?P<credit>.+)$"


def test_base_url_override_is_checked(tmp_path: Path) -> None:
    config = load(tmp_path, GOOD)
    with pytest.raises(ConfigError, match="--base-url"):
        with_overrides(config, base_url="example.org")  # type: ignore[arg-type]
