"""Benchmark of cron-style builds. Prints figures; asserts nothing.

    python bench/bench_build.py                 # N = 1,000 and 10,000, 3 runs each
    python bench/bench_build.py --sizes 1000 --runs 5

For each N it writes a corpus of N varied articles (HTML pages with JSON-LD, Open Graph, figures,
navigation and scripts, and plain-text files) into a temporary folder, then times whole
``feedgen-pipeline build`` processes (interpreter start included) and reports medians:

- fresh build, articles/s, with --jobs 1 and --jobs 2 (empty state and output each run);
- a rebuild where nothing changed, next to a bare walk that stats the same files (also a whole
  Python process), the floor of any no-change check;
- a rebuild after one article changed;
- a rebuild after a tagging rule changed, next to a ``--rebuild`` that parses every page again;
- peak memory (largest resident set of the build process or one of its workers).

When ../shared/corpus/dev exists beside the repository, it also measures per-article extraction
on its real pages, in this process: ours (extract + enrich), a bare ``BeautifulSoup(html, "lxml")``
parse, and ``trafilatura.extract(html, with_metadata=True)`` (``pip install -e '.[bench]'``).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEV_CORPUS = REPO.parent / "shared" / "corpus" / "dev"
ENV = {**os.environ, "PYTHONPATH": str(REPO)}

COUNTRIES = [
    "France",
    "Germany",
    "Chile",
    "Kenya",
    "Japan",
    "Brazil",
    "Norway",
    "Egypt",
    "Peru",
    "India",
    "Canada",
    "Mexico",
    "Nigeria",
    "Vietnam",
    "Poland",
    "Turkey",
    "Argentina",
    "Ghana",
    "Sweden",
    "Indonesia",
    "Ukraine",
    "Morocco",
    "Spain",
    "Italy",
]
WORDS = [
    "minister",
    "talks",
    "agreement",
    "trade",
    "border",
    "election",
    "parliament",
    "economy",
    "inflation",
    "energy",
    "pipeline",
    "drought",
    "harvest",
    "exports",
    "sanctions",
    "coalition",
    "protest",
    "court",
    "ruling",
    "budget",
    "deficit",
    "investment",
    "port",
    "railway",
    "summit",
    "delegation",
    "ceasefire",
    "refugees",
    "treaty",
    "tariff",
    "currency",
    "central",
    "bank",
    "reform",
    "strike",
    "union",
    "farmers",
    "fishermen",
    "coastline",
    "wildfire",
    "flood",
    "recovery",
]
PEOPLE = ("Ana Ruiz", "Tom Becker", "Li Wei", "Amina Yusuf", "Jonas Berg", "Sara Costa")


def sentence(rng: random.Random) -> str:
    words = rng.choices(WORDS, k=rng.randint(8, 20))
    country = rng.choice(COUNTRIES)
    words.insert(rng.randint(0, len(words)), f"in {country}")
    return " ".join(words).capitalize() + "."


def paragraph(rng: random.Random) -> str:
    return " ".join(sentence(rng) for _ in range(rng.randint(2, 5)))


def html_article(i: int, rng: random.Random) -> str:
    headline = sentence(rng).rstrip(".")
    paragraphs = "\n".join(f"<p>{paragraph(rng)}</p>" for _ in range(rng.randint(4, 12)))
    dated = i % 3 != 0
    date = f"2024-{1 + i % 12:02d}-{1 + i % 28:02d}T{i % 24:02d}:{i % 60:02d}:00+00:00"
    jsonld = (
        '<script type="application/ld+json">{"@type": "NewsArticle", '
        f'"headline": "{headline}", "datePublished": "{date}", '
        f'"author": {{"@type": "Person", "name": "{rng.choice(PEOPLE)}"}}}}</script>'
        if dated and i % 2
        else ""
    )
    meta = f'<meta property="article:published_time" content="{date}">' if dated else ""
    canonical = f'<link rel="canonical" href="https://news.example/{i}">' if i % 4 else ""
    figure = (
        f'<figure><img src="https://img.example/{i}.jpg">'
        f"<figcaption>{sentence(rng)} (Photo: {rng.choice(PEOPLE)}/AFP)</figcaption></figure>"
        if i % 5
        else ""
    )
    return (
        f"<!DOCTYPE html><html lang=en><head><meta charset=utf-8><title>{headline} | Example"
        f'</title>{canonical}<meta property="og:title" content="{headline}">'
        f'<meta name="description" content="{sentence(rng)}">{meta}{jsonld}'
        "<script>var tracking = {a: 1};</script></head><body>"
        '<nav><a href="/">Home</a> <a href="/world">World</a></nav>'
        f"<article><h1>{headline}</h1><p class=byline>By {rng.choice(PEOPLE)}</p>{figure}"
        f"{paragraphs}</article>"
        '<aside class="related"><ul><li><a href="/x">Related story</a></li></ul></aside>'
        "<footer>© Example News</footer></body></html>\n"
    )


def text_article(rng: random.Random) -> str:
    body = "\n\n".join(paragraph(rng) for _ in range(rng.randint(3, 8)))
    return (
        f"{sentence(rng).rstrip('.')}\n\n{sentence(rng)}\n\nPhoto: {rng.choice(PEOPLE)}\n\n{body}\n"
    )


def write_corpus(folder: Path, n: int) -> list[Path]:
    rng = random.Random(n)
    paths = []
    for i in range(n):
        sub = folder / f"{i // 1000:02d}"
        sub.mkdir(parents=True, exist_ok=True)
        if i % 4 == 3:
            path = sub / f"story-{i:05d}.txt"
            path.write_text(text_article(rng), "utf-8")
        else:
            path = sub / f"story-{i:05d}.html"
            path.write_text(html_article(i, rng), "utf-8")
        paths.append(path)
    return paths


def write_config(site: Path, articles: Path) -> Path:
    config = site / "config.yaml"
    config.write_text(
        "feed:\n  title: Bench\n  base_url: https://bench.example/\n"
        f"sources:\n  - id: bench\n    path: {articles}\n",
        "utf-8",
    )
    return config


def timed(args: list[str]) -> tuple[float, int, int]:
    """(seconds, peak RSS in MB, exit code) of one whole process."""
    start = time.perf_counter()
    proc = subprocess.Popen(args, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    stderr = proc.stderr.read().decode() if proc.stderr else ""
    if proc.returncode not in (0, 1):
        sys.exit(f"build failed ({proc.returncode}): {stderr}")
    return seconds, usage.ru_maxrss // 1024, proc.returncode


def build_args(config: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "feedgen_pipeline", "build", "--config", str(config), *extra]


def reset(site: Path) -> None:
    for name in ("output", ".feedgen-state"):
        subprocess.run(["rm", "-rf", str(site / name)], check=True)


def bench_size(n: int, runs: int) -> None:
    with tempfile.TemporaryDirectory(prefix="feedgen-bench-") as tmp:
        site = Path(tmp)
        articles = site / "articles"
        paths = write_corpus(articles, n)
        config = write_config(site, articles)
        print(f"\nN = {n:,} articles ({sum(p.stat().st_size for p in paths) / 1e6:.1f} MB)")
        peak = 0
        fresh: dict[int, float] = {}
        for jobs in (1, 2):
            times = []
            for _ in range(runs):
                reset(site)
                seconds, rss, _ = timed(build_args(config, "--jobs", str(jobs), "--quiet"))
                times.append(seconds)
                peak = max(peak, rss)
            fresh[jobs] = statistics.median(times)
            print(
                f"  fresh build --jobs {jobs}: {n / fresh[jobs]:8.0f} articles/s "
                f"({fresh[jobs]:.2f} s)"
            )
        print(f"  --jobs 2 / --jobs 1 speed-up: {fresh[1] / fresh[2]:.2f}x")

        walk = [sys.executable, "-c", _STAT_WALK, str(articles)]
        floor = statistics.median(timed(walk)[0] for _ in range(max(runs, 5)))
        nochange = []
        for _ in range(max(runs, 5)):
            seconds, rss, _ = timed(build_args(config, "--quiet"))
            nochange.append(seconds)
            peak = max(peak, rss)
        print(
            f"  no-change rebuild: {statistics.median(nochange) * 1000:6.0f} ms "
            f"(bare stat walk {floor * 1000:.0f} ms; ratio "
            f"{statistics.median(nochange) / floor:.2f})"
        )

        one = []
        rng = random.Random(1)
        # undated HTML articles late in source order: among the newest, so in the feeds, and a
        # change rewrites them (a change outside the feeds' cap rewrites nothing); HTML, so the
        # run pays for importing and running the parser
        undated = [i for i in range(n - 1, -1, -1) if i % 3 == 0 and i % 4 != 3]
        for r in range(max(runs, 5)):
            path = paths[undated[r]]
            text = path.read_text("utf-8")
            if path.suffix == ".html":
                text = text.replace("</article>", f"<p>Update {r}: {sentence(rng)}</p></article>")
            else:
                text += f"\nUpdate {r}: {sentence(rng)}\n"
            path.write_text(text, "utf-8")
            seconds, rss, _ = timed(build_args(config, "--quiet"))
            one.append(seconds)
            peak = max(peak, rss)
        print(f"  one article changed: {statistics.median(one) * 1000:6.0f} ms")

        # a tagging rule changed: every article is tagged again from its stored document, next
        # to --rebuild, which parses every page again (both with the default --jobs)
        base = config.read_text("utf-8")
        retag, rebuild = [], []
        for r in range(runs):
            score = 0.3 + r / 100  # a new value each run, so that each run has work to do
            rules = f"rules:\n  countries:\n    min_relative_score: {score}\n"
            config.write_text(base + rules, "utf-8")
            retag.append(timed(build_args(config, "--quiet"))[0])
            rebuild.append(timed(build_args(config, "--quiet", "--rebuild"))[0])
        config.write_text(base, "utf-8")
        print(
            f"  tagging rules changed: {statistics.median(retag):6.2f} s "
            f"(--rebuild {statistics.median(rebuild):.2f} s)"
        )
        print(f"  peak memory: {peak} MB (largest process)")


_STAT_WALK = """
import os, sys
n = 0
for folder, dirs, files in os.walk(sys.argv[1]):
    for name in files:
        os.stat(os.path.join(folder, name)); n += 1
"""


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
    for name, work in contenders:
        work()  # warm up: imports, compiled patterns, gazetteer
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            work()
            times.append(time.perf_counter() - start)
        rates[name] = len(pages) / statistics.median(times)
        print(f"  {name:38s} {rates[name]:7.1f} pages/s")
    names = list(rates)
    retag()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        retag()
        times.append(time.perf_counter() - start)
    tagging = len(documents) / statistics.median(times)
    print(f"  {'enrich alone (a tagging rules change)':38s} {tagging:7.1f} pages/s")
    print(f"  ours / bare parse: {rates[names[0]] / rates[names[1]]:.2f}")
    if len(names) > 2:
        print(f"  ours / trafilatura: {rates[names[0]] / rates[names[2]]:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--runs", type=int, default=3, help="runs per figure (median)")
    args = parser.parse_args()
    print(
        f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, {platform.system()} {platform.release()}"
    )
    # other processes on the machine skew every figure, --jobs 2 most: say how busy it was
    print("load average at start: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
    for n in args.sizes:
        bench_size(n, args.runs)
    bench_extraction(args.runs)
    print("load average at end: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))


if __name__ == "__main__":
    main()
