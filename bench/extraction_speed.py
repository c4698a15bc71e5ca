"""Per-article extraction speed on the real pages of ../shared/corpus/dev, in one process: ours
(extract + enrich, and enrich alone), a bare ``BeautifulSoup(html, "lxml")`` parse, and
``trafilatura.extract(html, with_metadata=True)`` (``pip install -e '.[bench]'``). Part of
bench/bench_build.py's output; skipped, saying so, without the folder.
"""

from __future__ import annotations

import contextlib
import statistics
import sys
import time
from collections.abc import Callable

from bench.corpora import REPO

DEV_CORPUS = REPO.parent / "shared" / "corpus" / "dev"


def bench_extraction(runs: int) -> None:
    pages = sorted(DEV_CORPUS.glob("*.html"))
    if not pages:
        print(f"\n(no {DEV_CORPUS}: extraction comparison skipped)")
        return
    sys.path.insert(0, str(REPO))
    from bs4 import BeautifulSoup

    from feedgen_pipeline.config import default_rules
    from feedgen_pipeline.errors import ArticleError
    from feedgen_pipeline.parse import enrich_document, enrich_source, extract_source
    from feedgen_pipeline.sources import read_source

    rules = default_rules()
    sources = [read_source(p, p.name) for p in pages]
    texts = [s.data.decode("utf-8", "replace") for s in sources]

    def ours() -> None:
        for source in sources:
            with contextlib.suppress(ArticleError):
                enrich_source(source, rules)

    def bare() -> None:
        for text in texts:
            BeautifulSoup(text, "lxml")

    documents = []
    for source in sources:
        with contextlib.suppress(ArticleError):
            documents.append((str(source.path), extract_source(source, rules)))

    def retag() -> None:
        for path, document in documents:
            with contextlib.suppress(ArticleError):
                enrich_document(document, path, rules)

    contenders: list[tuple[str, Callable[[], None]]] = [
        ("feedgen-pipeline extract+enrich", ours),
        ("bare BeautifulSoup(html, 'lxml')", bare),
    ]
    try:
        import trafilatura

        def traf() -> None:
            for text in texts:
                trafilatura.extract(text, with_metadata=True)

        contenders.append(("trafilatura extract(with_metadata)", traf))
    except ImportError:
        print("(trafilatura not installed: pip install -e '.[bench]')")
    print(f"\nExtraction on {DEV_CORPUS} ({len(pages)} pages), one process, median of {runs}:")
    rates = {}
    # CPU time beside the clock's: on a machine others share, the clock also counts their work
    cpu_rates = {}
    for name, work in contenders:
        work()  # warm up: imports, compiled patterns, gazetteer
        times, cpu = [], []
        for _ in range(runs):
            start, start_cpu = time.perf_counter(), time.process_time()
            work()
            times.append(time.perf_counter() - start)
            cpu.append(time.process_time() - start_cpu)
        rates[name] = len(pages) / statistics.median(times)
        cpu_rates[name] = len(pages) / statistics.median(cpu)
        print(f"  {name:38s} {rates[name]:7.1f} pages/s ({cpu_rates[name]:.1f} of CPU time)")
    names = list(rates)
    retag()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        retag()
        times.append(time.perf_counter() - start)
    tagging = len(documents) / statistics.median(times)
    print(f"  {'enrich alone (a tagging rules change)':38s} {tagging:7.1f} pages/s")
    print(
        f"  ours / bare parse: {rates[names[0]] / rates[names[1]]:.2f}"
        f" (CPU time: {cpu_rates[names[0]] / cpu_rates[names[1]]:.2f})"
    )
    if len(names) > 2:
        print(f"  ours / trafilatura: {rates[names[0]] / rates[names[2]]:.2f}")
