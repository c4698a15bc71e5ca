"""Per-article extraction speed on the real pages of ../shared/corpus/dev, in one process: ours
(extract + enrich, and enrich alone), a bare ``BeautifulSoup(html, "lxml")`` parse, and
``trafilatura.extract(html, with_metadata=True)`` (``pip install -e '.[bench]'``). Part of
bench/bench_build.py's output; skipped, saying so, without the folder.

    python -m bench.extraction_speed [runs]

The contenders take turns, round after round (each round in another order), so that a burst of
other work on a shared machine falls on all of them rather than on one; the ratios are of the
medians of one run. A parsed page is a tree of reference cycles, which only the cyclic collector
frees: each timed run starts with no garbage left by another contender and ends with a
collection of its own, so that each pays for the trees it made and for no other's.
"""

from __future__ import annotations

import contextlib
import gc
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
    contenders.append(("enrich alone (a tagging rules change)", retag))
    counts = {name: len(pages) for name, _ in contenders}
    counts[contenders[-1][0]] = len(documents)
    print(f"\nExtraction on {DEV_CORPUS} ({len(pages)} pages), one process, median of {runs}:")
    # CPU time beside the clock's: on a machine others share, the clock also counts their work
    times: dict[str, list[float]] = {name: [] for name, _ in contenders}
    cpu: dict[str, list[float]] = {name: [] for name, _ in contenders}
    for _, work in contenders:
        work()  # warm up: imports, compiled patterns, gazetteer
    for r in range(runs):
        for name, work in contenders[r % len(contenders) :] + contenders[: r % len(contenders)]:
            gc.collect()
            start, start_cpu = time.perf_counter(), time.process_time()
            work()
            gc.collect()
            times[name].append(time.perf_counter() - start)
            cpu[name].append(time.process_time() - start_cpu)
    ms = {name: 1000 * statistics.median(times[name]) / counts[name] for name in times}
    cpu_ms = {name: 1000 * statistics.median(cpu[name]) / counts[name] for name in cpu}
    print(f"  {'':38s} {'ms/page':>8s} {'pages/s':>8s} {'CPU ms/page':>12s}")
    for name in times:
        print(f"  {name:38s} {ms[name]:8.1f} {1000 / ms[name]:8.1f} {cpu_ms[name]:12.1f}")
    names = [name for name, _ in contenders]
    print(
        f"  ours / bare parse (throughput): {ms[names[1]] / ms[names[0]]:.2f}"
        f" (CPU time: {cpu_ms[names[1]] / cpu_ms[names[0]]:.2f})"
    )
    if len(names) > 3:
        print(f"  ours / trafilatura (throughput): {ms[names[2]] / ms[names[0]]:.2f}")


if __name__ == "__main__":
    bench_extraction(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
