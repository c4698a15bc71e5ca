"""Shared fixtures: the example articles built once per session at a fixed clock."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from feedgen_pipeline import BuildResult, build, load_config
from feedgen_pipeline.config import Config, with_overrides

# hypothesis: a short run in the suite; HYPOTHESIS_PROFILE=fuzz for a long one
settings.register_profile(
    "default", max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile(
    "fuzz", max_examples=20_000, deadline=None, suppress_health_check=list(HealthCheck)
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = REPO / "examples" / "articles"
GOLDEN = Path(__file__).resolve().parent / "golden"
SHARED = REPO.parent / "shared"
# the clock of every test build: first-seen dates of undated articles derive from it
FIXED_NOW = datetime(2026, 4, 1, 12, 0, tzinfo=UTC)
BASE_URL = "https://example.org/news/"
UPDATE_GOLDEN = os.environ.get("UPDATE_GOLDEN") == "1"


@pytest.fixture(autouse=True, scope="session")
def _data_copies(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """The copies of the built-in data (``config/data.py``) in a folder of the session's, not
    in the user's cache (the commands the tests start inherit it)."""
    before = os.environ.get("XDG_CACHE_HOME")
    os.environ["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("cache"))
    yield
    if before is None:
        del os.environ["XDG_CACHE_HOME"]
    else:
        os.environ["XDG_CACHE_HOME"] = before


def example_config(tmp: Path, **overrides: object) -> Config:
    """The repository's config.yaml, writing into ``tmp``."""
    config = load_config(REPO / "config.yaml")
    config = with_overrides(config, output_dir=tmp / "output", base_url=BASE_URL)
    from dataclasses import replace

    return replace(config, state_dir=tmp / "state", **overrides)  # type: ignore[arg-type]


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, BuildResult]:
    """The example articles built once: (output folder, result)."""
    tmp = tmp_path_factory.mktemp("built")
    config = example_config(tmp)
    return config.output_dir, build(config, now=FIXED_NOW)
