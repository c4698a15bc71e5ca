"""After a build: tell the WebSub hub (``feed.websub_hub``) which subscription documents changed.

A topic is the URL of a subscription document (``atom.xml``, ``rss.xml``, ``feed.json`` of the
main feed or of a tag) whose bytes this run changed. Topics whose ping failed, or that an offline
run could not send, stay pending in the state and are sent by the next run that may use the
network, so a hub never misses a change for long.
"""

from __future__ import annotations

import json
import posixpath
from collections.abc import Iterable

from .config import Config
from .outcome import Pings
from .state.store import Store

PENDING = "websub_pending"
SUBSCRIPTION_FILES = frozenset({"atom.xml", "rss.xml", "feed.json"})


def changed_topics(base_url: str, written: Iterable[str]) -> list[str]:
    """The URLs of the subscription documents among the files a run wrote."""
    return [base_url + f for f in written if posixpath.basename(f) in SUBSCRIPTION_FILES]


def announce(
    config: Config, store: Store, written: Iterable[str], *, dry_run: bool, offline: bool
) -> Pings:
    hub = config.feed.websub_hub
    assert hub is not None
    earlier = json.loads(store.info(PENDING) or "[]")
    topics = list(dict.fromkeys([*earlier, *changed_topics(config.feed.base_url, written)]))
    if dry_run:
        return Pings(hub, sent=tuple(topics))
    failed: list[tuple[str, str]] = []
    if topics and not offline:
        from .remote.websub import ping  # the network modules only when there is a ping

        contact = config.fetch.contact or config.feed.base_url
        failed = ping(hub, topics, config.fetch, contact)
    pending = topics if offline else [topic for topic, _ in failed]
    if pending or earlier:
        store.set_info({PENDING: json.dumps(pending)})
        store.commit()
    left = set(pending)
    sent = () if offline else tuple(t for t in topics if t not in left)
    return Pings(hub, sent, tuple(failed), tuple(pending))
