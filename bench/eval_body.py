"""How much of each page's story our paragraphs hold, against the bodies other projects expect.

    python bench/eval_body.py [--worst N]

For the pages of ../shared/corpus/dev and fundus-en whose ground truth has the body (Fundus'
``body``: summary and sections' paragraphs; the extraction benchmark's ``articleBody``): word
recall (the truth's words, counted with repeats, that our paragraphs hold) and word precision
(our words that the truth holds), per set as the mean over its pages, and the worst pages.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO.parent / "shared" / "corpus"
sys.path.insert(0, str(REPO))

from feedgen_pipeline.config import default_rules  # noqa: E402
from feedgen_pipeline.extract import extract  # noqa: E402
from feedgen_pipeline.sources import read_source  # noqa: E402


def truths(folder: Path) -> Iterator[tuple[Path, str]]:
    """(page, its body as one text) for every page of ``folder`` with a body in its truth."""
    for path in sorted(folder.glob("*.fundus.json")):
        body = json.loads(path.read_text("utf-8")).get("body") or {}
        paragraphs = [*(body.get("summary") or [])]
        for section in body.get("sections") or []:
            paragraphs += section.get("paragraphs") or []
        if paragraphs:
            yield (
                path.with_name(path.name.removesuffix(".fundus.json") + ".html"),
                " ".join(paragraphs),
            )
    for path in sorted(folder.glob("*.scrapinghub.json")):
        page = path.with_name(path.name.removesuffix(".scrapinghub.json") + ".html")
        yield page, json.loads(path.read_text("utf-8"))["articleBody"]


def _words(text: str) -> Counter[str]:
    return Counter(re.findall(r"\w+", text.casefold()))


def score(page: Path, truth: str) -> tuple[float, float]:
    """(word recall, word precision) of our paragraphs of ``page``."""
    document = extract(read_source(page, page.name), default_rules())
    want, got = _words(truth), _words(" ".join(document.paragraphs))
    common = sum((want & got).values())
    return common / max(1, want.total()), common / max(1, got.total())


def evaluate() -> dict[str, list[tuple[float, float, str]]]:
    """Per set, (recall, precision, page) of each page with a body in its truth."""
    return {
        name: [(*score(page, truth), page.stem) for page, truth in truths(CORPUS / name)]
        for name in ("dev", "fundus-en")
    }


def mean(rows: list[tuple[float, float, str]]) -> tuple[float, float]:
    """(mean recall, mean precision) of a set's pages."""
    return sum(r for r, _, _ in rows) / len(rows), sum(p for _, p, _ in rows) / len(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--worst", type=int, default=5, help="list the N worst pages per set")
    args = parser.parse_args(argv)
    if not CORPUS.is_dir():
        print(f"no corpus at {CORPUS}: nothing to evaluate")
        return 0
    print(f"{'set':<12}{'pages':>6}{'recall':>9}{'precision':>11}")
    worst: list[tuple[float, float, str]] = []
    for name, rows in evaluate().items():
        recall, precision = mean(rows)
        print(f"{name:<12}{len(rows):>6}{recall:>9.3f}{precision:>11.3f}")
        worst += sorted(rows, key=lambda row: min(row[0], row[1]))[: args.worst]
    print("worst pages (recall, precision)")
    for recall, precision, page in worst:
        print(f"  {page:<28}{recall:>6.2f}{precision:>7.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
