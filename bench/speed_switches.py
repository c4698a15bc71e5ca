"""What ``os._exit`` (feedgen_pipeline/cli/ ``run``), the collector's pause while the state is
loaded and planned (``extract/tree.py`` ``collector_paused``, used by pipeline.py) and the JSON
copies of the built-in data (``config/data.py``) save, on builds over real news
(../shared/corpus/reuters-volume, written by bench/corpora.py ``reuters_corpus``; skipped,
saying so, without the folder).

Each build is a whole process, interpreter start included, in one of the variants: with and
without the quick exit (``cli.run``, or ``sys.exit(cli.main())``, which runs the atexit
handlers and frees the run's objects), and the package as it is but for the pause of the
collector (``gc.disable`` a no-op) or for the copies of the data (the YAML parsed every run).
Nothing in the package changes. Per round, in an order that turns from round to round, each
variant makes a fresh build (empty state and output), a rebuild where nothing changed, and a
rebuild after one article changed; medians of the rounds, in CPU time (see ``build``).

    python -m bench.speed_switches [N] [rounds] [jobs]     # 2,000 stories, 3 rounds, --jobs 1

The switches of HTML extraction are measured apart, on the real pages of ../shared/corpus/dev
and ../shared/corpus/fundus-en (each skipped, saying so, when absent), in one process:

    python -m bench.speed_switches extraction [rounds]     # 7 rounds

Each variant undoes one switch of the package as it is, swapped in for the measurement only:
the cyclic collector not held off while a page is read (``extract/tree.py``
``collector_paused``), the comments kept in the tree, the page's tags found by a walk of the
tree rather than listed by the parse, and bs4's own lxml builder (with the same attribute
options; comments kept, its tags found by a walk).
Extract + enrich of every page, per variant, in rounds that turn the variants' order; each
timed run starts with no garbage left by another and ends with a collection of its own. Every
variant must give the same Documents as the package as it is: a page that differs is named.
"""

from __future__ import annotations

import contextlib
import random
import resource
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

if __package__ in (None, ""):  # run as a script: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.bench_build import ENV, change, reset, write_config
from bench.corpora import REPO, REUTERS, reuters_corpus

if TYPE_CHECKING:
    from feedgen_pipeline.model import Document, Source

# argv: quick exit (1/0), collector paused (1/0), copies of the data (1/0), then the command's
# arguments
_RUNNER = """
import gc, sys
quick_exit, paused, copies = sys.argv[1:4]
del sys.argv[1:4]
if paused == "0":
    gc.disable = lambda: None
if copies == "0":
    import feedgen_pipeline.config.data
    feedgen_pipeline.config.data.cache_dir = lambda: None
from feedgen_pipeline.cli import main, run
if quick_exit == "1":
    run()
sys.exit(main())
"""
VARIANTS = {
    "as is (_exit, paused)": ("1", "1", "1"),
    "normal exit": ("0", "1", "1"),
    "collector not paused": ("1", "0", "1"),
    "data parsed from YAML": ("1", "1", "0"),
}
STEPS = ("fresh", "no change", "one changed")


def build(config: Path, variant: str, *extra: str) -> float:
    """CPU seconds (user + system) of one build process and the processes it waited for: on a
    machine shared with other work, wall time measures the others as much as the build."""
    args = [sys.executable, "-c", _RUNNER, *VARIANTS[variant], "build", "--config", str(config)]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    proc = subprocess.run([*args, "--quiet", *extra], env=ENV, capture_output=True, text=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode not in (0, 1) or "Traceback" in proc.stderr:
        sys.exit(f"build failed ({proc.returncode}): {proc.stderr}")
    return after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime


def main() -> None:
    if sys.argv[1:2] == ["extraction"]:
        extraction_switches(int(sys.argv[2]) if len(sys.argv) > 2 else 7)
        return
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    jobs = sys.argv[3] if len(sys.argv) > 3 else "1"
    if not REUTERS.is_dir():
        print(f"(no {REUTERS}: skipped)")
        return
    names = list(VARIANTS)
    times: dict[str, dict[str, list[float]]] = {v: {s: [] for s in STEPS} for v in names}
    with tempfile.TemporaryDirectory(prefix="feedgen-bench-") as tmp:
        site = Path(tmp) / "site"  # beside it, the removed outputs (bench_build.reset)
        site.mkdir()
        _, newest = reuters_corpus(site / "articles", n)
        config = write_config(site, site / "articles")
        rng = random.Random(1)
        edits = 0
        build(config, names[0], "--jobs", jobs)  # warm-up: compiled modules, the files in cache
        for r in range(rounds):
            for variant in names[r % len(names) :] + names[: r % len(names)]:
                reset(site)
                times[variant]["fresh"].append(build(config, variant, "--jobs", jobs))
                times[variant]["no change"].append(build(config, variant))
                change(newest[edits % len(newest)], edits, rng)
                edits += 1
                times[variant]["one changed"].append(build(config, variant))
    print(f"\n{n:,} real stories, fresh builds --jobs {jobs}, median of {rounds} rounds (CPU ms):")
    base = {s: statistics.median(times[names[0]][s]) for s in STEPS}
    print(f"  {'variant':24s}" + "".join(f"{s:>22s}" for s in STEPS))
    for variant in names:
        cells = []
        for step in STEPS:
            m = statistics.median(times[variant][step])
            cells.append(f"{1000 * m:9.0f} ({(m - base[step]) / m:+6.1%})")
        print(f"  {variant:24s}" + "".join(f"{c:>22s}" for c in cells))
    print("  (in brackets: the share of each variant's time that the package as it is saves)")
    for variant in names:
        spread = ", ".join(
            f"{s} {1000 * min(times[variant][s]):.0f}-{1000 * max(times[variant][s]):.0f}"
            for s in STEPS
        )
        print(f"  rounds of {variant}: {spread}")


PAGE_CORPORA = {name: REPO.parent / "shared" / "corpus" / name for name in ("dev", "fundus-en")}
EXTRACTION_VARIANTS = (
    "as is",
    "collector not paused",
    "comments kept",
    "tags by a walk",
    "bs4's lxml builder",
)


@contextlib.contextmanager
def extraction_variant(name: str) -> Iterator[None]:
    """The package with one switch undone, for the ``with`` block only."""
    from bs4 import BeautifulSoup
    from bs4.builder._lxml import LXMLTreeBuilder

    from feedgen_pipeline.extract import html, tree

    def walked(text: str) -> tuple[BeautifulSoup, None]:
        return tree.parse_html(text)[0], None  # Page walks the tree for its tags

    def bs4_builder(text: str) -> tuple[BeautifulSoup, None]:
        return BeautifulSoup(
            text, "lxml", multi_valued_attributes=None, attribute_dict_class=dict
        ), None

    swaps: dict[str, tuple[object, str, object]] = {
        "collector not paused": (tree, "collector_paused", contextlib.nullcontext),
        "comments kept": (tree._HtmlBuilder, "default_parser", LXMLTreeBuilder.default_parser),
        "tags by a walk": (html, "parse_html", walked),
        "bs4's lxml builder": (html, "parse_html", bs4_builder),
    }
    if name not in swaps:
        yield
        return
    module, attr, value = swaps[name]
    kept = getattr(module, attr)
    setattr(module, attr, value)
    try:
        yield
    finally:
        setattr(module, attr, kept)


def extraction_switches(rounds: int) -> None:
    import gc
    import time

    from feedgen_pipeline.config import default_rules
    from feedgen_pipeline.errors import ArticleError
    from feedgen_pipeline.parse import enrich_document, extract_source
    from feedgen_pipeline.sources import read_source

    rules = default_rules()

    def extract_all(sources: list[Source]) -> list[Document | str]:
        out: list[Document | str] = []
        for source in sources:
            try:
                document = extract_source(source, rules)
                enrich_document(document, str(source.path), rules)
                out.append(document)
            except ArticleError as e:
                out.append(str(e))
        return out

    print(f"Extract + enrich per page, CPU ms, median of {rounds} interleaved rounds, one process")
    for corpus, folder in PAGE_CORPORA.items():
        pages = sorted(folder.glob("*.html"))
        if not pages:
            print(f"\n(no {folder}: {corpus} skipped)")
            continue
        sources = [read_source(p, p.name) for p in pages]
        print(f"\n{corpus}: {len(pages)} pages")
        results = {}
        for variant in EXTRACTION_VARIANTS:  # also the warm-up
            with extraction_variant(variant):
                results[variant] = extract_all(sources)
        for variant in EXTRACTION_VARIANTS[1:]:
            for source, a, b in zip(sources, results["as is"], results[variant], strict=True):
                if a != b:
                    print(f"  DIFFERS with {variant}: {source.relpath}")
        cpu: dict[str, list[float]] = {v: [] for v in EXTRACTION_VARIANTS}
        names = list(EXTRACTION_VARIANTS)
        for r in range(rounds):
            for variant in names[r % len(names) :] + names[: r % len(names)]:
                with extraction_variant(variant):
                    gc.collect()
                    start = time.process_time()
                    extract_all(sources)
                    gc.collect()
                    cpu[variant].append(time.process_time() - start)
        base = statistics.median(cpu["as is"])
        print(f"  {'variant':22s} {'ms/page':>8s} {'as is saves':>12s} {'rounds, ms/page':>18s}")
        for variant in names:
            m = statistics.median(cpu[variant])
            lo, hi = (1000 * f(cpu[variant]) / len(pages) for f in (min, max))
            print(
                f"  {variant:22s} {1000 * m / len(pages):8.2f} {(m - base) / m:12.1%}"
                f" {lo:9.2f}-{hi:.2f}"
            )


if __name__ == "__main__":
    main()
