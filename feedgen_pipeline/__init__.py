"""feedgen-pipeline: news articles in, enriched Atom, RSS 2.0 and JSON Feed 1.1 out.

Library API::

    from feedgen_pipeline import load_config, build, enrich_file
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.2.0"

__all__ = ["BuildResult", "Config", "Skipped", "__version__", "build", "enrich_file", "load_config"]

if TYPE_CHECKING:
    from .config import Config, load_config
    from .outcome import BuildResult, Skipped
    from .pipeline import build, enrich_file

_LAZY = {
    "Config": "config",
    "load_config": "config",
    "BuildResult": "outcome",
    "Skipped": "outcome",
    "build": "pipeline",
    "enrich_file": "pipeline",
}


def __getattr__(name: str) -> Any:
    # imported on first use: a cron run that changes nothing never needs the pipeline
    if name in _LAZY:
        from importlib import import_module

        return getattr(import_module(f".{_LAZY[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
