"""What ``gc.freeze`` (feedgen_pipeline/pipeline.py) and ``os._exit`` (feedgen_pipeline/cli/
``run``) save, on builds over real news (../shared/corpus/reuters-volume, written by
bench/corpora.py ``reuters_corpus``; skipped, saying so, without the folder).

Each build is a whole process, interpreter start included, in one of the variants: with and
without the freeze (``gc.freeze`` replaced by a no-op before the package is imported), and with
and without the quick exit (``cli.run``, or ``sys.exit(cli.main())``, which runs the atexit
handlers and frees the run's objects); and, as a fifth, the package as it is but for
``pipeline._uncollected``'s pause of the collector (``gc.disable`` a no-op). Nothing in the
package changes. Per round, in an order that turns from round to round, each variant makes a
fresh build (empty state and output), a rebuild where nothing changed, and a rebuild after one
article changed; medians of the rounds, in CPU time (see ``build``).

    python -m bench.speed_switches [N] [rounds] [jobs]     # 2,000 stories, 3 rounds, --jobs 1
"""

from __future__ import annotations

import random
import resource
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.bench_build import ENV, change, reset, write_config
from bench.corpora import REUTERS, reuters_corpus

# argv: freeze (1/0), quick exit (1/0), collector paused (1/0), then the command's arguments
_RUNNER = """
import gc, sys
freeze, quick_exit, paused = sys.argv[1:4]
del sys.argv[1:4]
if freeze == "0":
    gc.freeze = lambda: None
if paused == "0":
    gc.disable = lambda: None
from feedgen_pipeline.cli import main, run
if quick_exit == "1":
    run()
sys.exit(main())
"""
VARIANTS = {
    "freeze + _exit (as is)": ("1", "1", "1"),
    "freeze, normal exit": ("1", "0", "1"),
    "no freeze, _exit": ("0", "1", "1"),
    "neither": ("0", "0", "1"),
    "no _uncollected pause": ("1", "1", "0"),
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
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    jobs = sys.argv[3] if len(sys.argv) > 3 else "1"
    if not REUTERS.is_dir():
        print(f"(no {REUTERS}: skipped)")
        return
    names = list(VARIANTS)
    times: dict[str, dict[str, list[float]]] = {v: {s: [] for s in STEPS} for v in names}
    with tempfile.TemporaryDirectory(prefix="feedgen-bench-") as tmp:
        site = Path(tmp)
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


if __name__ == "__main__":
    main()
