"""Score the country and actor tags against the development corpus in ../shared/corpus.

    python bench/eval_tagging.py [--sample N] [--save FILE] [--before FILE]

Reads reuters-dev (the editors' countries, people and orgs), conll-dev and conll-train (people
and organisations as surface strings) and dev/labels.yaml (hand labels of modern pages) when the
corpus is beside the repository; prints precision, recall and F1, and the same for two baselines
(pycountry's names; geotext, a bench extra). ``--save`` writes the figures as JSON; ``--before``
prints under each row the one a saved run (of an earlier version) reached.

Metrics (P/R/F1 over (article, label) pairs unless said otherwise):
- countries micro: every tag; per-article: mean of each article's F1; top-3: the three most
  salient tags only; primary: precision of the primary tag (is it one of the article's labels).
  "non-US" leaves out the articles whose only label is US (58% of Reuters). central: share of
  articles whose first label (dev: the central country) is predicted. "ours": the tagged
  countries; "ours-named": every country named (``_enrichment.countries``); on conll-dev,
  conll-train and fundus-en, see bench/named_countries.py.
- actors on conll-dev and conll-train: the surface forms of the tagged people and organisations
  against the labelled per+org strings. Exact: equal strings; lenient: case-insensitive, and one
  form's words contained in the other's ("Simmons" for "Phil Simmons"). "people" and
  "organisations" score each kind alone: our people's forms against the labelled per strings,
  our organisations' against the org strings (an organisation tagged as a person is missed once
  and wrong once). dev/labels.yaml gives each actor's kind too.
- actors on reuters-dev: Reuters codes ("james-baker", "opec") against our actors' names: a person
  matches by full name or surname, an organisation by its name or any form, as slugs.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO.parent / "shared" / "corpus"
sys.path.insert(0, str(REPO))

from bench.baselines import geotext_matcher, pycountry_matcher  # noqa: E402
from bench.named_countries import (  # noqa: E402
    NamedDoc,
    conll_named,
    contains,
    fundus_named,
    named_codes,
    score_named,
    tagged_codes,
    words,
)
from feedgen_pipeline.config import Rules, default_rules  # noqa: E402
from feedgen_pipeline.enrich import enrich  # noqa: E402
from feedgen_pipeline.extract import extract  # noqa: E402
from feedgen_pipeline.model import Article  # noqa: E402
from feedgen_pipeline.naming import slugify  # noqa: E402
from feedgen_pipeline.sources import read_source  # noqa: E402


@dataclass(frozen=True)
class Doc:
    path: Path
    countries: tuple[str, ...] = ()
    optional: frozenset[str] = frozenset()
    actors: tuple[str, ...] = ()
    """Gold actor strings: surface forms (conll, dev) or Reuters codes."""
    people: tuple[str, ...] = ()
    orgs: tuple[str, ...] = ()
    """The gold surface forms of each kind (conll, dev)."""


@dataclass
class PRF:
    tp: float = 0.0
    fp: float = 0.0
    fn: float = 0.0

    def add(self, tp: float, fp: float, fn: float) -> None:
        self.tp, self.fp, self.fn = self.tp + tp, self.fp + fp, self.fn + fn

    @property
    def p(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def r(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        return 2 * self.p * self.r / (self.p + self.r) if self.p + self.r else 0.0


# ---------------------------------------------------------------- corpora


def reuters(sample: int | None = None) -> list[Doc]:
    folder = CORPUS / "reuters-dev"
    labels = json.loads((folder / "labels.json").read_text("utf-8"))
    docs = [
        Doc(
            folder / f"{newid}.txt",
            tuple(label["countries"]),
            actors=tuple(label["people"]) + tuple(label["orgs"]),
        )
        for newid, label in sorted(labels.items(), key=lambda kv: int(kv[0]))
    ]
    return docs[:sample] if sample else docs


CONLL = ("conll-dev", "conll-train")


def conll(sample: int | None = None, name: str = "conll-dev") -> list[Doc]:
    folder = CORPUS / name
    if not folder.is_dir():
        return []
    labels = json.loads((folder / "labels.json").read_text("utf-8"))
    docs = [
        Doc(
            folder / f"{doc_id}.txt",
            actors=tuple(dict.fromkeys(label["per"] + label["org"])),
            people=tuple(dict.fromkeys(label["per"])),
            orgs=tuple(dict.fromkeys(label["org"])),
        )
        for doc_id, label in sorted(labels.items())
    ]
    return docs[:sample] if sample else docs


def dev() -> list[Doc]:
    folder = CORPUS / "dev"
    labels = yaml.safe_load((folder / "labels.yaml").read_text("utf-8"))
    docs = []
    for name, label in sorted(labels.items()):
        actors = label.get("actors") or ()

        def forms(kind: str | None, actors: Any = actors) -> tuple[str, ...]:
            return tuple(
                f
                for a in actors
                if kind is None or a["kind"] == kind
                for f in (a["name"], *(a["aliases"] or ()))
            )

        docs.append(
            Doc(
                folder / f"{name}.html",
                tuple(label.get("countries") or ()),
                frozenset(label.get("countries_optional") or ()),
                forms(None),
                forms("person"),
                forms("organization"),
            )
        )
    return docs


# ---------------------------------------------------------------- taggers


@dataclass(frozen=True)
class Tagged:
    article: Article
    seconds_pipeline: float
    seconds_tagging: float


def run_ours(docs: Sequence[Doc] | Sequence[NamedDoc], rules: Rules) -> list[Tagged]:
    """Read, extract and enrich each document; time the whole and, again, the tagging alone."""
    out = []
    for doc in docs:
        t0 = time.perf_counter()
        source = read_source(doc.path, doc.path.name)
        document = extract(source, rules)
        article = enrich(document, rules)
        t1 = time.perf_counter()
        # enrich = headline and summary choice (cheap) + tagging: time it again without extraction
        enrich(document, rules)
        t2 = time.perf_counter()
        out.append(Tagged(article, t1 - t0, t2 - t1))
    return out


def article_text(article: Article) -> str:
    return "\n".join([article.headline, *article.paragraphs])


# ---------------------------------------------------------------- scoring


def score_countries(
    docs: Sequence[Doc], predicted: Sequence[list[str]], *, skip_us_only: bool = False
) -> dict[str, float]:
    micro, top3 = PRF(), PRF()
    per_article: list[float] = []
    primary_hits = primary_total = central_hits = central_total = 0
    for doc, pred in zip(docs, predicted, strict=True):
        gold = set(doc.countries)
        if skip_us_only and gold == {"US"}:
            continue
        pred = [c for c in pred if c not in doc.optional or c in gold]
        for scorer, tags in ((micro, pred), (top3, pred[:3])):
            tp = len(gold & set(tags))
            scorer.add(tp, len(set(tags)) - tp, len(gold) - tp)
        one = PRF()
        one.add(len(gold & set(pred)), len(set(pred) - gold), len(gold - set(pred)))
        per_article.append(1.0 if not gold and not pred else one.f1)
        if pred:
            primary_total += 1
            primary_hits += pred[0] in gold
        if doc.countries:
            central_total += 1
            central_hits += doc.countries[0] in pred
    return {
        "micro_p": micro.p,
        "micro_r": micro.r,
        "micro_f1": micro.f1,
        "article_f1": sum(per_article) / len(per_article) if per_article else 0.0,
        "top3_f1": top3.f1,
        "primary_p": primary_hits / primary_total if primary_total else 0.0,
        "central": central_hits / central_total if central_total else 0.0,
        "n": float(len(per_article)),
    }


def lenient_match(a: str, b: str) -> bool:
    wa, wb = words(a), words(b)
    return contains(wa, wb) or contains(wb, wa)


def score_actor_forms(
    docs: Sequence[Doc], articles: Sequence[Article], kind: str | None = None
) -> dict[str, float]:
    """Exact and lenient P/R/F1 of the actors' forms; of one ``kind`` only when given."""
    if kind is not None:
        docs = [replace(d, actors=d.people if kind == "person" else d.orgs) for d in docs]
    exact = PRF()
    for doc, article in zip(docs, articles, strict=True):
        gold, pred = set(doc.actors), set(_forms(article, kind))
        tp = len(gold & pred)
        exact.add(tp, len(pred) - tp, len(gold) - tp)
    p = _ratio(docs, articles, precision=True, kind=kind)
    r = _ratio(docs, articles, precision=False, kind=kind)
    return {
        "exact_p": exact.p,
        "exact_r": exact.r,
        "exact_f1": exact.f1,
        "lenient_p": p,
        "lenient_r": r,
        "lenient_f1": _f1(p, r),
    }


def _forms(article: Article, kind: str | None = None) -> list[str]:
    return list(
        dict.fromkeys(
            f
            for a in article.actors
            if kind is None or a.kind == kind
            for f in (a.forms or (a.name,))
        )
    )


def _ratio(
    docs: Sequence[Doc], articles: Sequence[Article], *, precision: bool, kind: str | None = None
) -> float:
    hit = total = 0
    for doc, article in zip(docs, articles, strict=True):
        gold = list(dict.fromkeys(doc.actors))
        pred = _forms(article, kind)
        ours, theirs = (pred, gold) if precision else (gold, pred)
        total += len(ours)
        hit += sum(any(lenient_match(x, y) for y in theirs) for x in ours)
    return hit / total if total else 0.0


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def score_reuters_actors(docs: Sequence[Doc], articles: Sequence[Article]) -> dict[str, float]:
    """Precision: share of our actors that match a code; recall: share of codes matched."""
    pred_hits = pred_total = gold_hits = gold_total = 0
    for doc, article in zip(docs, articles, strict=True):
        gold = {g.replace("-", "") for g in doc.actors}
        keys = []
        for a in article.actors:
            slugs = {slugify(f).replace("-", "") for f in (a.name, *a.forms)}
            if a.kind == "person":
                slugs.add(slugify(a.name.split()[-1]).replace("-", ""))
            keys.append(slugs)
        pred_total += len(keys)
        pred_hits += sum(1 for k in keys if k & gold)
        gold_total += len(gold)
        gold_hits += sum(1 for g in gold if any(g in k for k in keys))
    p = pred_hits / pred_total if pred_total else 0.0
    r = gold_hits / gold_total if gold_total else 0.0
    return {"p": p, "r": r, "f1": _f1(p, r)}


# ---------------------------------------------------------------- the report


def evaluate(sample: int | None = None, baselines: bool = True) -> dict[str, Any]:
    """Every figure, as a nested dict: {corpus: {tagger: {metric: value}}}."""
    rules = default_rules()
    results: dict[str, Any] = {}
    timing: dict[str, dict[str, float]] = {}
    taggers: list[tuple[str, Callable[[str], list[str]]]] = []
    if baselines:
        taggers.append(("pycountry-names", pycountry_matcher()))
        geo = geotext_matcher()
        if geo is not None:
            taggers.append(("geotext", geo))
    for corpus, docs in (("reuters-dev", reuters(sample)), ("dev", dev() if not sample else [])):
        if not docs:
            continue
        tagged = run_ours(docs, rules)
        timing[corpus] = _timing(tagged)
        articles = [t.article for t in tagged]
        ours = [tagged_codes(a) for a in articles]
        named = [named_codes(a) for a in articles]
        results[corpus] = {
            "ours": score_countries(docs, ours),
            "ours-nonUS": score_countries(docs, ours, skip_us_only=True),
            "ours-named": score_countries(docs, named),
        }
        for name, tag in taggers:
            predicted = [tag(article_text(a)) for a in articles]
            results[corpus][name] = score_countries(docs, predicted)
            results[corpus][f"{name}-nonUS"] = score_countries(docs, predicted, skip_us_only=True)
        if corpus == "reuters-dev":
            results[corpus]["actors"] = score_reuters_actors(docs, articles)
        else:
            results[corpus].update(_actor_figures(docs, articles))
    quarter = sample // 4 if sample else None
    read: dict[str, tuple[list[Doc], list[Article]]] = {}
    for name in CONLL:
        docs = conll(quarter, name)
        if not docs:
            continue
        tagged = run_ours(docs, rules)
        read[name] = (docs, [t.article for t in tagged])
        results[name] = _actor_figures(docs, read[name][1])
        timing[name] = _timing(tagged)
    for corpus, named_docs in (
        ("conll-dev", conll_named(CORPUS / "conll-dev", quarter)),
        ("conll-train", conll_named(CORPUS / "conll-train", quarter)),
        ("fundus-en", fundus_named(CORPUS / "fundus-en") if not sample else []),
    ):
        known = read.get(corpus)
        if known and [d.path for d in named_docs] == [d.path for d in known[0]]:
            articles = known[1]  # the same documents, already tagged
        else:
            articles = [t.article for t in run_ours(named_docs, rules)]
        figures = results.setdefault(corpus, {})
        figures["ours-named"] = score_named(named_docs, articles, named_codes)
        figures["ours"] = score_named(named_docs, articles, tagged_codes)
    results["timing"] = timing
    return results


def _actor_figures(docs: Sequence[Doc], articles: Sequence[Article]) -> dict[str, Any]:
    return {
        "actors": score_actor_forms(docs, articles),
        "people": score_actor_forms(docs, articles, "person"),
        "organisations": score_actor_forms(docs, articles, "organization"),
    }


def _timing(tagged: Sequence[Tagged]) -> dict[str, float]:
    return {
        "pipeline": sum(t.seconds_pipeline for t in tagged),
        "tagging": sum(t.seconds_tagging for t in tagged),
        "n": float(len(tagged)),
    }


def _row(name: str, figures: dict[str, float], keys: Iterable[str]) -> str:
    cells = (f"{figures[k]:>11.3f}" if k in figures else f"{'-':>11}" for k in keys)
    return f"  {name:<22}" + "".join(cells)


def _table(
    results: dict[str, Any], before: dict[str, Any], corpus: str, keys: Sequence[str]
) -> None:
    """One row per tagger of ``corpus``, each followed by the saved run's when there is one."""
    print(" " * 24 + "".join(f"{k:>11}" for k in keys) + "          n")
    for name, figures in results[corpus].items():
        if name in ("actors", "people", "organisations"):
            continue
        print(_row(name, figures, keys) + f"{int(figures['n']):>11}")
        earlier = before.get(corpus, {}).get(name)
        if earlier:
            print(_row("  before", earlier, keys) + f"{int(earlier['n']):>11}")


COUNTRY_KEYS = ("micro_p", "micro_r", "micro_f1", "article_f1", "top3_f1", "primary_p", "central")
ACTOR_KEYS = ("exact_p", "exact_r", "exact_f1", "lenient_p", "lenient_r", "lenient_f1")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sample", type=int, help="only the first N Reuters articles")
    parser.add_argument("--save", type=Path, help="write the figures to this JSON file")
    parser.add_argument("--before", type=Path, help="figures saved by an earlier run, to compare")
    args = parser.parse_args(argv)
    if not CORPUS.is_dir():
        print(f"no corpus at {CORPUS}: nothing to evaluate")
        return 0
    results = evaluate(args.sample)
    before = json.loads(args.before.read_text("utf-8")) if args.before else {}
    if args.save:  # figures of this version, for a later run's --before
        args.save.write_text(json.dumps(results, indent=1) + "\n", "utf-8")
    for corpus in ("reuters-dev", "dev"):
        if corpus in results:
            print(f"countries, {corpus}")
            _table(results, before, corpus, COUNTRY_KEYS)
    print("countries named (ours-named) and tagged (ours) where no set labels them as dev does")
    for corpus in ("conll-dev", "conll-train", "fundus-en"):
        if corpus in results:
            print(f"  {corpus}: recall of labelled places, precision by support (conll only)")
            _table(results, before, corpus, ("r", "p", "labelled"))
    for what, title in (
        ("actors", "actors (people + organisations)"),
        ("people", "people alone"),
        ("organisations", "organisations alone"),
    ):
        print(title)
        print(" " * 24 + "".join(f"{k:>11}" for k in ACTOR_KEYS))
        for corpus in (*CONLL, "dev"):
            if what in results.get(corpus, {}):
                label = "dev (labels.yaml)" if corpus == "dev" else corpus
                print(_row(label, results[corpus][what], ACTOR_KEYS))
    r = results["reuters-dev"]["actors"]
    print(f"  reuters-dev codes       p={r['p']:.3f} r={r['r']:.3f} f1={r['f1']:.3f}")
    print("  baselines: pycountry and geotext tag places only; no actor figures")
    print("time per article (read, extract and enrich; of which tagging)")
    for corpus, t in results["timing"].items():
        share = t["tagging"] / t["pipeline"] if t["pipeline"] else 0.0
        print(
            f"  {corpus:<22}{int(t['n']):>5} articles {1000 * t['pipeline'] / t['n']:>7.2f} ms"
            f"   tagging {1000 * t['tagging'] / t['n']:>6.2f} ms ({share:.0%})"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
