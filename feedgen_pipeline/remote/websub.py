"""WebSub publishing (W3C WebSub, section 7): tell a hub that some topics (feed URLs) changed, so
that it fetches them and pushes them to their subscribers at once."""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor

import httpx

from ..config.fetch import FetchConfig
from .client import Fetcher, FetchError
from .guard import Resolver, resolve


def ping(
    hub: str,
    topics: Sequence[str],
    config: FetchConfig,
    contact: str,
    *,
    transport: httpx.BaseTransport | None = None,
    resolver: Resolver = resolve,
) -> list[tuple[str, str]]:
    """POST ``hub.mode=publish&hub.url=<topic>`` to ``hub`` for each topic, one request each
    (the form every hub accepts), ``config.concurrency`` at a time. The topics whose ping
    failed, each with the reason, in the order of ``topics``."""
    fetcher = Fetcher(config, contact, transport=transport, resolver=resolver)

    def one(topic: str) -> str | None:
        try:
            fetcher.post(hub, {"hub.mode": "publish", "hub.url": topic})
        except FetchError as e:
            return e.reason
        return None

    try:
        with ThreadPoolExecutor(max_workers=config.concurrency) as pool:
            reasons = list(pool.map(one, topics))
    finally:
        fetcher.close()
    return [(t, r) for t, r in zip(topics, reasons, strict=True) if r is not None]
