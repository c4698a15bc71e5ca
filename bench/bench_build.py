"""Benchmark of cron-style builds, on real news first, then on generated articles. Prints figures
and the project's targets beside them; asserts nothing.

    python bench/bench_build.py                     # N = 1,000, 10,000 and 100,000, 3 runs each
    python bench/bench_build.py --sizes 1000 10000 --runs 5 --corpus real

Corpora (``--corpus real|generated|both``, both by default, real first; see bench/corpora.py):

- real: Reuters-21578 stories from ``../shared/corpus/reuters-volume`` beside the repository,
  copied into a temporary folder. N up to 13,740 is the first N stories by numeric id; beyond,
  reordered copies of them (the same headline and sentences in another order, so the same
  countries and organisations, and a distinct content). Skipped, saying so, without the folder.
- generated: varied HTML pages and plain-text files, three quarters HTML, as before.

For each corpus and N it writes the articles and a config.yaml (defaults otherwise) into a
temporary folder, then times whole ``feedgen-pipeline build`` processes (interpreter start
included) and reports medians of ``--runs`` runs (of at least 5 for the quick figures):

- fresh build, articles/s, with --jobs 1 and --jobs 2 taking turns (empty state and output
  each run), and the speed-up; from 50,000 articles on, --jobs 2 alone and once;
- the output it makes: files, their bytes, ``du -s``, article pages, the countries/* and
  actors/* tag folders, and the state folder's ``du -s``;
- a rebuild where nothing changed, next to a bare walk that stats the same files (also a whole
  Python process), the floor of any no-change check;
- a rebuild after one article changed (a sentence added to one of the newest);
- on the generated corpus, a rebuild after a tagging rule changed, next to a ``--rebuild`` that
  parses every page again;
- peak memory (largest resident set of the build process or one of its workers).

A table at the end puts the figures beside the targets; "!" marks a figure that misses one.

When ../shared/corpus/dev exists beside the repository, it also measures per-article extraction
on its real pages, in this process: ours (extract + enrich), a bare ``BeautifulSoup(html, "lxml")``
parse, and ``trafilatura.extract(html, with_metadata=True)`` (``pip install -e '.[bench]'``).
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.corpora import REPO, REUTERS, generated_corpus, reuters_corpus, sentence
from bench.extraction_speed import bench_extraction

# the builds' environment: the repository importable, and its modules compiled once and kept
# (an environment that forbids it would time compiling the package in every build, which an
# installed package never does)
ENV = {
    **{k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"},
    "PYTHONPATH": str(REPO),
}
# from this many articles on, one fresh build with --jobs 2 stands for the fresh figures
BIG = 50_000

Corpus = Callable[[Path, int], tuple[list[Path], list[Path]]]
CORPORA: dict[str, Corpus] = {"real": reuters_corpus, "generated": generated_corpus}


@dataclass
class Figures:
    """What one corpus at one N measured: seconds, MB, counts."""

    corpus: str
    n: int
    fresh: dict[int, float]
    nochange: float = 0.0
    walk: float = 0.0
    one: float = 0.0
    peak: int = 0
    files: int = 0
    content_mb: float = 0.0
    du_mb: float = 0.0
    state_mb: float = 0.0
    pages: int = 0
    countries: int = 0
    actors: int = 0


def write_config(site: Path, articles: Path) -> Path:
    config = site / "config.yaml"
    config.write_text(
        "feed:\n  title: Bench\n  base_url: https://bench.example/\n"
        f"sources:\n  - id: bench\n    path: {articles}\n",
        "utf-8",
    )
    return config


def timed(args: list[str]) -> tuple[float, int, int]:
    """(seconds, peak RSS in MB, exit code) of one whole process. Exit code 1 (some articles
    skipped: real news holds duplicates) counts as a build; a traceback never does."""
    start = time.perf_counter()
    proc = subprocess.Popen(args, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    assert proc.stderr is not None
    stderr = proc.stderr.read().decode()  # read while it runs: a full pipe would block it
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode not in (0, 1) or "Traceback (most recent call last)" in stderr:
        sys.exit(f"build failed ({proc.returncode}): {stderr}")
    return seconds, usage.ru_maxrss // 1024, proc.returncode


def build_args(config: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "feedgen_pipeline", "build", "--config", str(config), *extra]


def reset(site: Path) -> None:
    """Empty state and output for a fresh build. The old ones are moved aside, to be deleted
    when the bench ends: this machine's disk (ext4 mounted with ``discard``) creates files
    several times slower for a while after a large tree was deleted, which would time the
    bench's own clean-up, not the build."""
    removed = site.parent / "removed"
    removed.mkdir(exist_ok=True)
    for name in ("output", ".feedgen-state"):
        if (site / name).exists():
            os.rename(site / name, removed / f"{site.name}-{name}-{time.monotonic_ns()}")


def du_mb(folder: Path) -> float:
    out = subprocess.run(["du", "-sk", str(folder)], capture_output=True, text=True, check=True)
    return int(out.stdout.split()[0]) / 1024


def measure_output(site: Path, figures: Figures) -> None:
    """Files and bytes of the output as the build left it, and its tag folders."""
    out = site / "output"
    sizes = [os.stat(os.path.join(d, f)).st_size for d, _, names in os.walk(out) for f in names]
    figures.files, figures.content_mb = len(sizes), sum(sizes) / 1e6
    figures.du_mb, figures.state_mb = du_mb(out), du_mb(site / ".feedgen-state")

    def count(folder: Path, dirs: bool) -> int:
        return sum(1 for p in folder.iterdir() if p.is_dir() == dirs) if folder.is_dir() else 0

    figures.pages = count(out / "articles", dirs=False)
    figures.countries, figures.actors = count(out / "countries", True), count(out / "actors", True)


def change(path: Path, r: int, rng: random.Random) -> None:
    """One more sentence: in the article of an HTML page, after the last line of a text file."""
    text = path.read_text("utf-8")
    if path.suffix == ".html":
        text = text.replace("</article>", f"<p>Update {r}: {sentence(rng)}</p></article>")
    else:
        text = text.rstrip("\n") + f"\n    The statement gave no further details (update {r}).\n"
    path.write_text(text, "utf-8")


def bench_size(name: str, n: int, runs: int, root: Path) -> Figures:
    """The figures of one corpus and size, its site built in a folder of ``root``."""
    site = root / f"{name}-{n}"
    site.mkdir()
    articles = site / "articles"
    paths, newest = CORPORA[name](articles, n)
    config = write_config(site, articles)
    megabytes = sum(p.stat().st_size for p in paths) / 1e6
    print(f"\n{name}, N = {n:,} articles ({megabytes:.1f} MB)")
    figures = Figures(name, n, {})
    quick = runs if n >= BIG else max(runs, 5)
    # --jobs 1 and --jobs 2 take turns, so that a slow spell of the machine or its disk
    # falls on both
    order = (2,) if n >= BIG else (1, 2)
    times: dict[int, list[float]] = {jobs: [] for jobs in order}
    for _ in range(1 if n >= BIG else runs):
        for jobs in order:
            reset(site)
            seconds, rss, _ = timed(build_args(config, "--jobs", str(jobs), "--quiet"))
            times[jobs].append(seconds)
            figures.peak = max(figures.peak, rss)
    for jobs in order:
        figures.fresh[jobs] = fresh = statistics.median(times[jobs])
        runs_s = ", ".join(f"{t:.1f}" for t in times[jobs])
        print(
            f"  fresh build --jobs {jobs}: {n / fresh:8.0f} articles/s ({fresh:.2f} s;"
            f" runs {runs_s})"
        )
    if 1 in figures.fresh:
        print(f"  --jobs 2 / --jobs 1 speed-up: {figures.fresh[1] / figures.fresh[2]:.2f}x")
    measure_output(site, figures)
    print(
        f"  output: {figures.files:,} files, {figures.content_mb:.1f} MB of content, du "
        f"{figures.du_mb:.1f} MB; {figures.pages:,} article pages, {figures.countries:,} "
        f"countries/*, {figures.actors:,} actors/*; state du {figures.state_mb:.1f} MB"
    )

    walk = [sys.executable, "-c", _STAT_WALK, str(articles)]
    figures.walk = statistics.median(timed(walk)[0] for _ in range(quick))
    nochange = []
    for _ in range(quick):
        seconds, rss, _ = timed(build_args(config, "--quiet"))
        nochange.append(seconds)
        figures.peak = max(figures.peak, rss)
    figures.nochange = statistics.median(nochange)
    print(
        f"  no-change rebuild: {figures.nochange * 1000:6.0f} ms (bare stat walk "
        f"{figures.walk * 1000:.0f} ms; ratio {figures.nochange / figures.walk:.2f})"
    )

    one = []
    rng = random.Random(1)
    for r in range(quick):
        change(newest[r % len(newest)], r, rng)
        seconds, rss, _ = timed(build_args(config, "--quiet"))
        one.append(seconds)
        figures.peak = max(figures.peak, rss)
    figures.one = statistics.median(one)
    print(f"  one article changed: {figures.one * 1000:6.0f} ms")
    if name == "generated":
        bench_rules_change(config, runs)
    print(f"  peak memory: {figures.peak} MB (largest process)")
    return figures


def bench_rules_change(config: Path, runs: int) -> None:
    """A tagging rule changed: every article is tagged again from its stored document, next to
    --rebuild, which parses every page again (both with the default --jobs)."""
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


_STAT_WALK = """
import os, sys
n = 0
for folder, dirs, files in os.walk(sys.argv[1]):
    for name in files:
        os.stat(os.path.join(folder, name)); n += 1
"""

# row: (label, figure or None, format, {N of real news: (at most?, limit, target as printed)})
Row = tuple[str, Callable[[Figures], float | None], str, dict[int, tuple[bool, float, str]]]
ROWS: list[Row] = [
    ("fresh --jobs 1", lambda f: f.fresh.get(1), "{:.1f} s", {}),
    (
        "fresh --jobs 2",
        lambda f: f.fresh.get(2),
        "{:.1f} s",
        {10_000: (True, 40, "<= 40 s"), 100_000: (True, 600, "<= 10 min")},
    ),
    (
        "--jobs 2 speed-up",
        lambda f: f.fresh[1] / f.fresh[2] if 1 in f.fresh else None,
        "{:.2f}x",
        {10_000: (False, 1.8, ">= 1.8x")},
    ),
    ("no-change rebuild", lambda f: f.nochange * 1000, "{:.0f} ms", {}),
    ("bare stat walk", lambda f: f.walk * 1000, "{:.0f} ms", {}),
    (
        "no-change / walk",
        lambda f: f.nochange / f.walk,
        "{:.2f}x",
        {10_000: (True, 2, "<= 2x"), 100_000: (True, 2, "<= 2x")},
    ),
    (
        "one article changed",
        lambda f: f.one,
        "{:.2f} s",
        {10_000: (True, 0.5, "<= 0.5 s"), 100_000: (True, 2, "<= 2 s")},
    ),
    (
        "peak memory",
        lambda f: f.peak,
        "{:.0f} MB",
        {10_000: (True, 150, "<= 150 MB"), 100_000: (True, 600, "<= 600 MB")},
    ),
    ("output du -s", lambda f: f.du_mb, "{:.0f} MB", {10_000: (True, 150, "<= 150 MB")}),
    ("output content", lambda f: f.content_mb, "{:.0f} MB", {}),
    ("output files", lambda f: f.files, "{:,.0f}", {}),
    ("article pages", lambda f: f.pages, "{:,.0f}", {}),
    ("countries/* folders", lambda f: f.countries, "{:,.0f}", {}),
    ("actors/* folders", lambda f: f.actors, "{:,.0f}", {}),
    ("state du -s", lambda f: f.state_mb, "{:.0f} MB", {}),
]


def print_table(results: list[Figures]) -> None:
    """The figures beside the targets (set for real news at 10,000 and 100,000 articles)."""
    head = ["", *(f"{f.corpus} {f.n:,}" for f in results), "target 10,000", "target 100,000"]
    lines = [head]
    for label, value, fmt, targets in ROWS:
        cells = [label]
        for f in results:
            v = value(f)
            target = targets.get(f.n) if f.corpus == "real" else None
            misses = target is not None and v is not None and (v > target[1]) == target[0]
            cells.append("-" if v is None else fmt.format(v) + (" !" if misses else ""))
        cells += [targets[n][2] if n in targets else "" for n in (10_000, 100_000)]
        lines.append(cells)
    widths = [max(len(line[i]) for line in lines) for i in range(len(head))]
    print("\nFigures and targets (targets for real news; ! misses its target):")
    for line in lines:
        print(
            "  "
            + "  ".join(
                c.ljust(w) if i == 0 else c.rjust(w)
                for i, (c, w) in enumerate(zip(line, widths, strict=True))
            ).rstrip()
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--runs", type=int, default=3, help="runs per figure (median)")
    parser.add_argument("--corpus", choices=("real", "generated", "both"), default="both")
    parser.add_argument(
        "--workdir",
        type=Path,
        help="folder for the sites built (default: the system's temporary folder); a memory"
        " file system (/dev/shm) leaves out the disk's cost of creating files",
    )
    args = parser.parse_args()
    print(
        f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, {platform.system()} {platform.release()}"
    )
    # other processes on the machine skew every figure, --jobs 2 most: say how busy it was
    print("load average at start: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
    corpora = ["real", "generated"] if args.corpus == "both" else [args.corpus]
    if "real" in corpora and not REUTERS.is_dir():
        print(f"\n(no {REUTERS}: real news skipped)")
        corpora.remove("real")
    if args.workdir:
        print(f"sites built in {args.workdir}")
    # every site and every removed output stay until the end (see ``reset``)
    with tempfile.TemporaryDirectory(prefix="feedgen-bench-", dir=args.workdir) as tmp:
        root = Path(tmp)
        results = [bench_size(name, n, args.runs, root) for name in corpora for n in args.sizes]
    bench_extraction(args.runs)
    if results:
        print_table(results)
    print("load average at end: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))


if __name__ == "__main__":
    main()
