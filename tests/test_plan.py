"""Planned runs: only the outputs whose inputs changed are rendered, and what is rendered equals
a full render of the same state, at the scale of real news (many tags per article)."""

from __future__ import annotations

import random
import shutil
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from feedgen_pipeline import build
from feedgen_pipeline.config import FeedConfig, MinArticles, SiteConfig, SourceConfig
from feedgen_pipeline.errors import OutputError
from feedgen_pipeline.model import Article, TagRef
from feedgen_pipeline.naming import slugify
from feedgen_pipeline.parse import enrich_file
from feedgen_pipeline.plan import plan_outputs
from feedgen_pipeline.records import Meta, Record
from feedgen_pipeline.render import Renderer

from .conftest import FIXED_NOW, example_config
from .test_incremental import tree

FIRST = ("Anna", "Omar", "Li", "Maria", "Jon", "Ines", "Kofi", "Yuki", "Pavel", "Sara")
LAST = ("Berg", "Wafula", "Chen", "Lopez", "Dahl", "Costa", "Mensah", "Sato", "Novak", "Haddad")
PLACES = (("Chile", "Chilean"), ("Kenya", "Kenyan"), ("Japan", "Japanese"), ("Peru", "Peruvian"))
ROLES = ("Finance Minister", "President", "Foreign Minister", "Ambassador")


def story(i: int, rng: random.Random) -> str:
    """A plain-text story naming two countries and three people with their roles."""
    (a, adj_a), (b, _) = rng.sample(PLACES, 2)
    people = [f"{rng.choice(FIRST)} {rng.choice(LAST)}" for _ in range(3)]
    roles = rng.sample(ROLES, 3)
    return (
        f"Talks in {a} number {i}\n\n"
        f"A dek about {a} and {b} on day {i}.\n\n"
        f"{adj_a} {roles[0]} {people[0]} said on day {i} that talks with {b} would go on. "
        f"{roles[1]} {people[1]} met {roles[2]} {people[2]} in {a}.\n\n"
        f"The talks concern trade number {i * 7}.\n"
    )


def make_site(tmp: Path, count: int) -> tuple[Path, object]:
    folder = tmp / "in"
    folder.mkdir(parents=True)
    rng = random.Random(7)
    for i in range(count):
        (folder / f"story-{i:04d}.txt").write_text(story(i, rng), "utf-8")
    (folder / "zz-lone.txt").write_text(
        "Envoy visits Chile\n\nA dek.\n\nPresident Zora Vale said Chile would help.\n", "utf-8"
    )
    config = replace(
        example_config(tmp),
        sources=(SourceConfig("in", folder, ("*.txt",)),),
        site=SiteConfig(min_articles=MinArticles(countries=1, actors=2)),
    )
    return folder, config


def full_render(config: object, tmp: Path) -> dict[str, bytes]:
    """The output of the same state rendered whole: a copy of the state, an empty output."""
    state = tmp / "state-copy"
    shutil.rmtree(state, ignore_errors=True)
    shutil.copytree(config.state_dir, state)  # type: ignore[attr-defined]
    out = tmp / "full-output"
    shutil.rmtree(out, ignore_errors=True)
    again = replace(config, state_dir=state, output_dir=out)  # type: ignore[type-var]
    build(again, now=FIXED_NOW + timedelta(days=9))  # nothing to read: only rendering
    return tree(out)


def tag_folders(path: Path, config: object) -> set[str]:
    article = enrich_file(path, config.rules, path.name)  # type: ignore[attr-defined]
    return {f"{t.kind}/{slugify(t.key)}/" for t in article.tags}


def test_incremental_runs_render_what_a_full_render_gives(tmp_path: Path) -> None:
    folder, config = make_site(tmp_path, 300)
    first = build(config, now=FIXED_NOW, jobs=2)  # type: ignore[arg-type]
    assert len([p for p in first.written if p.startswith("actors/")]) > 20
    out = config.output_dir  # type: ignore[attr-defined]
    assert tree(out) == full_render(config, tmp_path)

    changed = folder / "story-0042.txt"
    before = tag_folders(changed, config)
    changed.write_text(
        "Talks in Peru number 42\n\nA new dek.\n\n"
        "Peruvian President Ines Costa said Japan would help. President Zora Vale agreed.\n",
        "utf-8",
    )
    after = tag_folders(changed, config)
    result = build(config, now=FIXED_NOW + timedelta(hours=1))  # type: ignore[arg-type]
    assert tree(out) == full_render(config, tmp_path)
    # a tag that reached its feed with this change: the other article's page links to it now
    assert "actors/zora-vale/" in after - before
    assert "articles/zz-lone.html" in result.written
    # and so do the pages listing it (the feeds show no links to pages)
    lone = {f"{f}index.html" for f in tag_folders(folder / "zz-lone.txt", config)}
    allowed = {"articles/zz-lone.html", *lone} | {
        "atom.xml",
        "rss.xml",
        "feed.json",
        "index.html",
        "feeds.opml",
    }
    allowed |= {"countries/index.html", "actors/index.html", "articles/story-0042.html"}
    for relpath in result.written:
        assert relpath in allowed or any(relpath.startswith(f) for f in before | after), relpath
    assert len(result.written) < 60 < len(first.written)

    (folder / "story-0007.txt").unlink()
    (folder / "story-9999.txt").write_text(story(9999, random.Random(1)), "utf-8")
    build(config, now=FIXED_NOW + timedelta(hours=2))  # type: ignore[arg-type]
    assert tree(out) == full_render(config, tmp_path)
    assert not (out / "articles" / "story-0007.html").exists()


def test_a_touched_file_writes_nothing(tmp_path: Path) -> None:
    folder, config = make_site(tmp_path, 40)
    build(config, now=FIXED_NOW)  # type: ignore[arg-type]
    (folder / "story-0003.txt").touch()  # read and hashed again, and found the same
    again = build(config, now=FIXED_NOW + timedelta(hours=1))  # type: ignore[arg-type]
    assert again.written == () and again.deleted == ()


def test_a_damaged_output_file_is_rendered_again(tmp_path: Path) -> None:
    folder, config = make_site(tmp_path, 40)
    build(config, now=FIXED_NOW)  # type: ignore[arg-type]
    out = config.output_dir  # type: ignore[attr-defined]
    page = next((out / "actors").glob("*/atom.xml"))
    good = page.read_bytes()
    page.write_bytes(b"broken")
    (folder / "story-0001.txt").write_text("Another story\n\nDek.\n\nText.\n", "utf-8")
    build(config, now=FIXED_NOW + timedelta(hours=1))  # type: ignore[arg-type]
    assert page.read_bytes() == good


# ---------------------------------------------------------------- complexity guard

ARTICLES = 5_000
TAGS = 20_000


def _record(i: int, rng: random.Random) -> Record:
    tags = [TagRef("countries", c, c) for c in rng.sample(("FR", "DE", "JP", "CL", "KE"), 2)]
    every = range(4 * i, 4 * i + 4)  # each of the 20,000 actors in one article
    names = [f"{chr(ord('A') + n % 26)}ctor {n}" for n in every]
    tags += [TagRef("actors", name, name) for name in names]
    meta = Meta(f"a{i}", f"a{i}.txt", None, FIXED_NOW - timedelta(minutes=i), None, f"c{i}")
    return Record(f"in/a{i}.txt", "s", f"sha{i}", "fp", FIXED_NOW, replace(meta, tags=tuple(tags)))


class _Articles:
    """Articles made on demand, standing in for the state."""

    def get(self, key: str) -> Article:
        name = key.rsplit("/", 1)[-1]
        return Article(
            name, name, None, f"Headline {name}", "Summary.", ("Text.",), None, (), None, None, "en"
        )


def test_planning_and_tag_pages_grow_with_articles_plus_tags(tmp_path: Path) -> None:
    """5,000 articles and 20,000 tags, each with its feed: a step that went over articles times
    tags (100 million) would take minutes; these take seconds."""
    rng = random.Random(3)
    records = [_record(i, rng) for i in range(ARTICLES)]
    feed = FeedConfig("Desk", "https://example.org/", "d", "Desk", "en", 20)
    site = SiteConfig(min_articles=MinArticles(1, 1))
    plan = plan_outputs(
        records, {}, set(), FIXED_NOW, feed=feed, site=site, settings="s", written={}
    )
    assert len(plan.site.tags) == TAGS + 5
    assert len(plan.render) == len(plan.outputs) > 2 * len(plan.site.tags)
    config = replace(example_config(tmp_path), feed=feed, site=site)
    renderer = Renderer(config, plan.site, _Articles(), None)  # type: ignore[arg-type]
    files = {}
    for output in plan.outputs:
        if output.kind in ("tags", "opml") or (output.kind == "page" and len(files) < 500):
            files.update(renderer.render(output))
    # thousands of tags stay easy to look through: the most tagged first, then by initial
    page = BeautifulSoup(files["actors/index.html"], "lxml")
    assert len(page.select("ul.tag-list li")) == TAGS + 20
    anchors = [a["href"][1:] for a in page.select("nav.initials a")]
    assert anchors == [chr(ord("A") + i) for i in range(26)]
    assert all(page.find(id=anchor).name == "h2" for anchor in anchors)


def test_a_rendering_process_that_dies_stops_the_build_and_the_next_run_finishes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os

    import feedgen_pipeline.publish

    _, config = make_site(tmp_path, 120)
    build(config, now=FIXED_NOW)  # type: ignore[arg-type]
    out = config.output_dir  # type: ignore[attr-defined]
    before = tree(out)
    shutil.rmtree(out / "articles")

    def dying(*args: object, **kwargs: object) -> object:  # in a worker process, which it ends
        os._exit(9)

    monkeypatch.setattr(feedgen_pipeline.publish, "apply_output", dying)
    with pytest.raises(OutputError, match="ended abruptly"):
        build(config, now=FIXED_NOW, jobs=2)  # type: ignore[arg-type]
    monkeypatch.undo()
    build(config, now=FIXED_NOW, jobs=2)  # type: ignore[arg-type]
    assert tree(out) == before
