"""Per-article extraction speed on the real pages of ../shared/corpus/dev, in one process: ours
(extract + enrich, and enrich alone), a bare ``BeautifulSoup(html, "lxml")`` parse, and
``trafilatura.extract(html, with_metadata=True)`` (``pip install -e '.[bench]'``). Part of
bench/bench_build.py's output; skipped, saying so, without the folder.

    python -m bench.extraction_speed [runs]

Ours, the bare parse and enrich alone take turns, round after round (each round in another
order), so that a burst of other work on a shared machine falls on all of them rather than on
one; the ratios are of the medians of one run. A parsed page is a tree of reference cycles,
which only the cyclic collector frees: each timed run starts with no garbage left by another
and ends with a collection of its own, so that each pays for the trees it made and for no
other's. trafilatura is imported and timed after them: the modules and caches it leaves in the
process make every later collection longer, which would be charged to whatever runs next.
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

OURS = "feedgen-pipeline extract+enrich"
BARE = "bare BeautifulSoup(html, 'lxml')"
RETAG = "enrich alone (a tagging rules change)"
TRAFILATURA = "trafilatura extract(with_metadata)"


def _timed(work: Callable[[], None], wall: list[float], cpu: list[float]) -> None:
    gc.collect()
    start, start_cpu = time.perf_counter(), time.process_time()
    work()
    gc.collect()
    wall.append(time.perf_counter() - start)
    cpu.append(time.process_time() - start_cpu)


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

    contenders: list[tuple[str, Callable[[], None]]] = [(OURS, ours), (BARE, bare), (RETAG, retag)]
    counts = {OURS: len(pages), BARE: len(pages), RETAG: len(documents), TRAFILATURA: len(pages)}
    print(f"\nExtraction on {DEV_CORPUS} ({len(pages)} pages), one process, median of {runs}:")
    # CPU time beside the clock's: on a machine others share, the clock also counts their work
    times: dict[str, list[float]] = {name: [] for name, _ in contenders}
    cpu: dict[str, list[float]] = {name: [] for name, _ in contenders}
    for _, work in contenders:
        work()  # warm up: imports, compiled patterns, gazetteer
    for r in range(runs):
        for name, work in contenders[r % len(contenders) :] + contenders[: r % len(contenders)]:
            _timed(work, times[name], cpu[name])
    try:
        import trafilatura

        def traf() -> None:
            for text in texts:
                trafilatura.extract(text, with_metadata=True)

        traf()
        times[TRAFILATURA], cpu[TRAFILATURA] = [], []
        for _ in range(runs):
            _timed(traf, times[TRAFILATURA], cpu[TRAFILATURA])
    except ImportError:
        print("(trafilatura not installed: pip install -e '.[bench]')")
    ms = {name: 1000 * statistics.median(times[name]) / counts[name] for name in times}
    cpu_ms = {name: 1000 * statistics.median(cpu[name]) / counts[name] for name in cpu}
    print(f"  {'':38s} {'ms/page':>8s} {'pages/s':>8s} {'CPU ms/page':>12s}")
    for name in (OURS, BARE, TRAFILATURA, RETAG):
        if name in ms:
            print(f"  {name:38s} {ms[name]:8.1f} {1000 / ms[name]:8.1f} {cpu_ms[name]:12.1f}")
    print(
        f"  ours / bare parse (throughput): {ms[BARE] / ms[OURS]:.2f}"
        f" (CPU time: {cpu_ms[BARE] / cpu_ms[OURS]:.2f})"
    )
    if TRAFILATURA in ms:
        print(f"  ours / trafilatura (throughput): {ms[TRAFILATURA] / ms[OURS]:.2f}")


if __name__ == "__main__":
    bench_extraction(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
