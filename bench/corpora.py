"""The article folders that bench/bench_build.py builds: real Reuters stories and generated ones.

Real news comes from ``../shared/corpus/reuters-volume`` (13,740 Reuters-21578 stories as
``<id>.txt``: headline, blank line, body), read where it lies and copied into the benchmark's
temporary folder, never into the repository. ``reuters_corpus`` takes the first N stories by
numeric id, unchanged. Beyond 13,740 it adds copies, round after round: round k takes copy k of
every story, in id order, that has at least k + 1 distinct orders of its sentences, until there
are N files (round 0 being the stories themselves; 100,000 takes rounds 0 to 10).

Copy k of story s, ``<s>-<k>.txt``, is the story's headline and body with the sentences of one
paragraph in the k-th order that ``random.Random(f"reuters:{s}")``'s shuffles give which differs
from the story's and every earlier copy's (``reorder``; which sentences, ``story_parts``). The
text reader splits paragraphs at blank lines only, and a Reuters body is nearly always one
block with its wire paragraphs marked by indented lines: the whole body is one paragraph, so
its sentences are what is reordered, not its wire paragraphs (most stories have too few of
those for ten distinct orders). A copy keeps the story's words and names whole, so the countries,
people and organisations it names, and the editors' labels in ``labels.json``, are the story's;
its content (headline and paragraphs) differs from every other file's, which the pipeline would
otherwise drop as a duplicate. The only duplicates left are the corpus's own.

The generated corpus (``generated_corpus``) is the earlier benchmark's, file for file: varied
HTML pages with JSON-LD, Open Graph, figures, navigation and scripts, and plain-text files,
three quarters HTML.
"""

from __future__ import annotations

import math
import random
import re
import shutil
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
REUTERS = REPO.parent / "shared" / "corpus" / "reuters-volume"

_BLANK_LINE = re.compile(r"(\n[ \t]*\n)")
# the text reader's default rules.dek.max_chars: a first block no longer may be taken for a dek
_DEK = 400


def _ends_sentence(word: str) -> bool:
    """A word that ends a sentence: ".", "!" or "?" (a closing quote after it) at the end of a
    word that starts lower-case or with a digit ("said.", "1987.") and whose last hyphenated part
    does too. An abbreviation or a name never does ("U.S.", "Co.", "Lisbon.", "mid-May."): the
    next capital may go on the same name ("Plessey Co. Plc"), or a name after it would join it
    once moved ("Lisbon. Holiday Corp")."""
    starts = all(w[:1].islower() or w[:1].isdigit() for w in (word, word.rsplit("-", 1)[-1]))
    return starts and word.rstrip('"').endswith((".", "!", "?"))


def sentences(text: str) -> list[str]:
    """The sentences of a text: each ends at a word that ends one before a capital or a quote."""
    words = text.split()
    out: list[list[str]] = [[]]
    for word, following in zip(words, [*words[1:], ""], strict=True):
        out[-1].append(word)
        if _ends_sentence(word) and (following[:1].isupper() or following[:1] == '"'):
            out.append([])
    return [" ".join(s) for s in out if s]


def story_parts(text: str) -> tuple[str, list[str], str]:
    """(what comes before the sentences to reorder, those sentences, what comes after them).

    The text reader makes one paragraph of each blank-line block. In nearly every Reuters story
    the body is one block, its wire paragraphs marked only by an indented line: the whole body
    is one paragraph, and its sentences are what there is to reorder. In a body of several
    blocks they are those of the longest block, the first left out when a dek may be made of it
    (the content hash leaves the dek out). A last sentence that does not end as one ("… and
    Lisbon.") stays last: moved before "Holiday Corp said …", it would make one name of two."""
    headline, _, body = text.partition("\n\n")
    parts = _BLANK_LINE.split(body)
    paragraphs = [
        i
        for i in range(0, len(parts), 2)
        if i or len(parts) == 1 or len(" ".join(parts[0].split())) > _DEK
    ]
    target = max(paragraphs or [0], key=lambda i: len(parts[i].strip()))
    block = parts[target]
    start, end = len(block) - len(block.lstrip()), len(block.rstrip())
    found = sentences(block)
    last = "" if len(found) < 2 or _ends_sentence(found[-1].rsplit(" ", 1)[-1]) else found.pop()
    return (
        headline + "\n\n" + "".join(parts[:target]) + block[:start],
        found,
        ("\n    " + last if last else "") + block[end:] + "".join(parts[target + 1 :]),
    )


def distinct_orders(sentences: list[str]) -> int:
    """How many different texts the sentences make in some order (repeated ones counted once)."""
    return math.factorial(len(sentences)) // math.prod(
        math.factorial(c) for c in Counter(sentences).values()
    )


def reorder(text: str, story_id: int, copies: int) -> list[str]:
    """Copies 1 to ``copies`` of a story: the sentences of ``story_parts`` in an order of
    ``random.Random(f"reuters:{story_id}")``'s shuffles, each order unlike the story's and every
    earlier copy's, one sentence per wire paragraph (an indented line), the rest of the story as
    it is. Copy k is the same whatever ``copies`` is."""
    before, found, after = story_parts(text)
    if copies >= distinct_orders(found):
        raise ValueError(f"{story_id}: {len(found)} sentences make fewer than {copies + 1}")
    rng = random.Random(f"reuters:{story_id}")
    seen = {tuple(found)}
    out: list[str] = []
    while len(out) < copies:
        order = found[:]
        rng.shuffle(order)
        if tuple(order) not in seen:
            seen.add(tuple(order))
            out.append(before + "\n    ".join(order) + after)
    return out


def reuters_stories() -> list[Path]:
    """The stories of reuters-volume by numeric id."""
    return sorted(REUTERS.glob("*.txt"), key=lambda p: int(p.stem))


def reuters_plan(n: int) -> list[tuple[Path, int]]:
    """(story, copy number) of each of the N files: see the module's docstring."""
    stories = reuters_stories()
    if n <= len(stories):
        return [(p, 0) for p in stories[:n]]
    orders = [distinct_orders(story_parts(p.read_text("utf-8"))[1]) for p in stories]
    plan: list[tuple[Path, int]] = []
    copy = 0
    while len(plan) < n:
        round_ = [(p, copy) for p, count in zip(stories, orders, strict=True) if count > copy]
        if not round_:
            raise SystemExit(f"reuters-volume cannot make {n:,} distinct stories")
        plan += round_[: n - len(plan)]
        copy += 1
    return plan


def reuters_corpus(folder: Path, n: int) -> tuple[list[Path], list[Path]]:
    """Write N real stories into ``folder``: (the files, those to change one by one). The
    latter come last in source order, the newest in the feeds, so that a change rewrites
    pages (a change outside the feeds' cap rewrites nothing)."""
    folder.mkdir(parents=True, exist_ok=True)
    copies: dict[Path, int] = {}
    for story, copy in reuters_plan(n):
        copies[story] = max(copies.get(story, 0), copy)
    paths = []
    for story, most in copies.items():
        paths.append(folder / story.name)
        shutil.copyfile(story, paths[-1])
        if most:
            for k, text in enumerate(reorder(story.read_text("utf-8"), int(story.stem), most), 1):
                paths.append(folder / f"{story.stem}-{k}.txt")
                paths[-1].write_text(text, "utf-8")
    return paths, sorted(paths, key=lambda p: p.name, reverse=True)


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


def generated_corpus(folder: Path, n: int) -> tuple[list[Path], list[Path]]:
    """Write N generated articles into ``folder``: (the files, those to change one by one).
    The latter are undated HTML pages late in source order: among the newest, so in the feeds,
    and HTML, so that the run pays for importing and running the parser."""
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
    return paths, [paths[i] for i in range(n - 1, -1, -1) if i % 3 == 0 and i % 4 != 3]
