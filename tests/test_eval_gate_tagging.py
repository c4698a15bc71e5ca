"""Quality gate for tagging: the figures bench/eval_tagging.py reaches on ../shared/corpus.

A pinned figure may only go up: raise it when a change improves it, never lower it to let a
change through. Skips when the corpus is not beside the repository.
"""

from __future__ import annotations

import importlib.util
import sys
from types import ModuleType
from typing import Any

import pytest

from .conftest import REPO, SHARED

CORPUS = SHARED / "corpus"

# (corpus, tagger, metric) → the least it may be
PINNED = {
    ("reuters-dev", "ours", "micro_f1"): 0.755,
    ("reuters-dev", "ours-nonUS", "micro_f1"): 0.770,
    ("reuters-dev", "ours", "primary_p"): 0.878,
    # 0.960 before the story's <div>s were read beside a teaser <p> (three dev pages)
    ("dev", "ours", "primary_p"): 0.995,
    # 0.950 before the extraction rules of issue 7 (deks and leads read better, and two pages
    # gain a country named in passing there: "Blue House" in a Zimbabwe story), 0.940 after;
    # 0.970 since the story's <div>s are read beside a teaser <p>
    ("dev", "ours", "micro_p"): 0.970,
    # people + organisations (0.725 / 0.800 and 0.680 before the organisation rules of issue 12;
    # its targets: 0.75 exact, 0.85 lenient on each CoNLL set, organisations alone 0.60 exact)
    ("conll-dev", "actors", "exact_f1"): 0.835,
    ("conll-dev", "actors", "lenient_f1"): 0.895,
    ("conll-train", "actors", "exact_f1"): 0.805,
    ("conll-train", "actors", "lenient_f1"): 0.876,
    ("conll-dev", "organisations", "exact_f1"): 0.715,
    ("conll-train", "organisations", "exact_f1"): 0.675,
    ("conll-dev", "people", "exact_f1"): 0.865,
    ("conll-train", "people", "exact_f1"): 0.828,
    # 0.685 before issue 12; 0.791 with the organisation rules and the stories read in <div>s;
    # 0.831 with people and organisations by what the text says they are ("the historian X",
    # "X magazine", "the energy company X", "the X party", "told X")
    ("dev", "actors", "lenient_f1"): 0.825,
    ("dev", "people", "lenient_f1"): 0.855,
    ("dev", "organisations", "lenient_f1"): 0.750,
    ("reuters-dev", "actors", "r"): 0.880,
    # every country the article names (_enrichment.countries), against the countries that
    # dev/labels.yaml says the body names; on CoNLL, against its places and nationalities
    ("dev", "ours-named", "micro_r"): 0.995,
    ("dev", "ours-named", "micro_p"): 0.910,
    ("dev", "ours", "central"): 0.999,  # the central country tagged on every page
    ("conll-dev", "ours-named", "r"): 0.994,
    ("conll-dev", "ours-named", "p"): 0.980,
    ("conll-train", "ours-named", "r"): 0.990,
    ("conll-train", "ours-named", "p"): 0.987,
}


def _bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "eval_tagging", REPO / "bench" / "eval_tagging.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def results() -> dict[str, Any]:
    if not CORPUS.is_dir():
        pytest.skip("the corpus is in ../shared, absent here")
    figures: dict[str, Any] = _bench().evaluate(baselines=False)
    return figures


@pytest.mark.parametrize("key", sorted(PINNED), ids=lambda k: "/".join(k))
def test_figure_holds(results: dict[str, Any], key: tuple[str, str, str]) -> None:
    corpus, tagger, metric = key
    assert results[corpus][tagger][metric] >= PINNED[key]


def test_we_beat_the_names_only_baseline() -> None:
    if not CORPUS.is_dir():
        pytest.skip("the corpus is in ../shared, absent here")
    bench = _bench()
    docs = bench.reuters(200)
    tagged = bench.run_ours(docs, bench.default_rules())
    ours = bench.score_countries(docs, [bench.tagged_codes(t.article) for t in tagged])
    names = bench.pycountry_matcher()
    theirs = bench.score_countries(docs, [names(bench.article_text(t.article)) for t in tagged])
    assert ours["micro_f1"] > theirs["micro_f1"] + 0.2
