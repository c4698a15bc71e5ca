"""The three feeds of a view (Atom, RSS, JSON Feed), each entry's forms made once per run.

An entry appears in the main feed and in the feed of each of its tags: its Atom, RSS and JSON
Feed forms are made once and spliced into every feed that carries it, so that a build's cost
grows with entries plus feeds, not with entries times tags.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Mapping

from ..model import Entry, FeedView
from .atom_rss import FILES, Format, entry_xml, feed_xml
from .jsonfeed import entry_json, jsonfeed_bytes

_FORMATS: tuple[Format, ...] = ("atom", "rss")


class EntryForms:
    """Each entry's forms, by format, entry id and whether the full text is in it. The newest
    ``size`` are kept: a run renders feed after feed, and holding every entry of a large build
    would make its memory grow with the output."""

    def __init__(
        self, base_url: str, size: int = 16384, made: Mapping[FormKey, str] | None = None
    ) -> None:
        self.base_url = base_url
        self.size = size
        self._forms: OrderedDict[FormKey, str] = OrderedDict()
        self._made = made or {}
        """Forms made ahead (``make_forms``), kept whatever ``size`` says."""

    def forms(self, fmt: str, entries: tuple[Entry, ...], full: bool) -> list[str]:
        ahead = self._made
        if ahead and all((fmt, e.id, full) in ahead for e in entries):
            return [ahead[(fmt, e.id, full)] for e in entries]
        keys = [(fmt, e.id, full) for e in entries]
        missing = [e for e, k in zip(entries, keys, strict=True) if k not in self._forms]
        if fmt == "json":
            made = [entry_json(e, full) for e in missing]
        else:
            made = entry_xml("atom" if fmt == "atom" else "rss", missing, self.base_url, full)
        found = dict(zip([(fmt, e.id, full) for e in missing], made, strict=True))
        out = []
        for key in keys:
            form = found.get(key)
            if form is None:
                form = self._forms[key]
                self._forms.move_to_end(key)
            else:
                self._forms[key] = form
            out.append(form)
        while len(self._forms) > self.size:
            self._forms.popitem(last=False)
        return out


FormKey = tuple[str, str, bool]
"""(format, entry id, whether the full text is in it)."""


def make_forms(entries: list[Entry], base_url: str, full: bool) -> dict[FormKey, str]:
    """The forms of ``entries`` in every format, to hand to ``EntryForms`` (``made``)."""
    forms: dict[FormKey, str] = {}
    for fmt in _FORMATS:
        made = entry_xml(fmt, entries, base_url, full)
        forms.update(((fmt, e.id, full), f) for e, f in zip(entries, made, strict=True))
    forms.update((("json", e.id, full), entry_json(e, full)) for e in entries)
    return forms


def render_feeds(view: FeedView, forms: EntryForms, *, full: bool = True) -> dict[str, bytes]:
    """The three feeds of one view, under its folder; ``full``: entries carry the full text,
    else the lead image and summary only."""
    files = {
        f"{view.path}{FILES[fmt]}": feed_xml(fmt, view, forms.forms(fmt, view.entries, full))
        for fmt in _FORMATS
    }
    files[f"{view.path}feed.json"] = jsonfeed_bytes(view, forms.forms("json", view.entries, full))
    return files
