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
    assert [label.id for label in config.rules.credit.labels][-1] == "courtesy-of"


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
    places:
      - id: broken
        regex: '(?P<credit>[unclosed'
        in: [caption]
      - id: no-group
        regex: 'Photo: .+'
        in: [caption]
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
        (15, "rules.credit.places[0].regex", "does not compile"),
        (18, "rules.credit.places[1].regex", "group named `credit`"),
        (23, "rules.html.boilerplate[0].selector", "does not parse"),
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
    labels:
      - id: kind-colon
        enabled: false
      - id: credit
        regex: 'Pic'
      - id: bild
        words: [Bild]
    places:
      - id: after-dash
        enabled: false
      - id: after-tilde
        regex: '~\\s*(?P<credit>[^~]+)$'
        in: [caption]
        needs: name
""",
    )
    rules = config.rules  # type: ignore[attr-defined]
    assert rules.summary_max_chars == 120
    ids = [label.id for label in rules.credit.labels]
    assert ids == ["copyright", "made-by", "credit", "bild"]
    assert rules.credit.labels[2].regex.pattern == "(?i:Pic)"
    places = [place.id for place in rules.credit.places]
    assert "after-dash" not in places and places[-1] == "after-tilde"
    assert rules.credit.places[-1].needs == "name"


def test_user_credit_rules_change_what_is_read(tmp_path: Path) -> None:
    from feedgen_pipeline.extract.credits import read_credit

    builtin = default_rules().credit
    assert read_credit("Crowds in Kyiv - Jane Doe/AFP", "caption", builtin) is not None
    assert read_credit("Crowds in Kyiv ~ Jane Doe", "caption", builtin) is None
    assert read_credit("Bild: Jane Doe", "element", builtin).credit == "Bild: Jane Doe"  # type: ignore[union-attr]
    config = load(
        tmp_path,
        GOOD
        + """\
rules:
  credit:
    labels:
      - id: bild
        words: [Bild]
    places:
      - id: after-dash
        enabled: false
      - id: after-tilde
        regex: '~\\s*(?P<credit>[^~]+)$'
        in: [caption]
        needs: name
""",
    )
    grammar = config.rules.credit  # type: ignore[attr-defined]
    assert read_credit("Crowds in Kyiv - Jane Doe/AFP", "caption", grammar) is None
    found = read_credit("Crowds in Kyiv ~ Jane Doe", "caption", grammar)
    assert found is not None and (found.credit, found.place) == ("Jane Doe", "after-tilde")
    assert read_credit("Bild: Jane Doe", "element", grammar).credit == "Jane Doe"  # type: ignore[union-attr]


def test_credit_rule_entries_are_checked(tmp_path: Path) -> None:
    found = problems(
        tmp_path,
        GOOD
        + """\
rules:
  credit:
    labels:
      - id: both
        words: [Pic]
        regex: 'Pic'
    places:
      - id: nowhere
        regex: '(?P<credit>.+)'
        in: [sidebar]
        needs: anything
    not_credit:
      - id: odd
        words: [x]
        scope: page
""",
    )
    assert any("rules.credit.labels[0]: needs `words` or `regex`" in p for p in found), found
    assert any("rules.credit.places[0].in: expected some of" in p for p in found), found
    assert any("rules.credit.places[0].needs: expected one of" in p for p in found), found
    assert any("rules.credit.not_credit[0].scope: expected credit or text" in p for p in found)


def test_base_url_override_is_checked(tmp_path: Path) -> None:
    config = load(tmp_path, GOOD)
    with pytest.raises(ConfigError, match="--base-url"):
        with_overrides(config, base_url="example.org")  # type: ignore[arg-type]
