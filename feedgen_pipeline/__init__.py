"""feedgen-pipeline: news articles in, enriched Atom, RSS 2.0 and JSON Feed 1.1 out.

Library API::

    from feedgen_pipeline import load_config, build, enrich_file
"""

from __future__ import annotations

__version__ = "0.1.0"

from .config import Config, load_config
from .pipeline import BuildResult, Skipped, build, enrich_file

__all__ = ["BuildResult", "Config", "Skipped", "__version__", "build", "enrich_file", "load_config"]
