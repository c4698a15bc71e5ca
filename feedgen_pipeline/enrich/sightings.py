"""A sighting: one mention of an actor, before the mentions of one actor are merged."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..model import ActorKind, Mention
from .countries import CountryMatch


@dataclass(frozen=True)
class Sighting:
    """One mention of an actor, with what the text around it says about the actor."""

    key: str
    """Dictionary id, or the name as written for a discovered actor."""
    name: str
    kind: ActorKind
    role: str | None
    country: str | None
    mention: Mention


def overlaps(taken: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(s < end and start < e for s, e in taken)


def country_within(countries: Sequence[CountryMatch], start: int, end: int) -> str | None:
    return next(
        (c.code for c in countries if c.set_aside_by is None and start <= c.start < end), None
    )
