"""Polite HTTP GETs: timeouts, retries, robots.txt, per-host limits, size and type checks.

One ``Fetcher`` per run, shared by the fetching threads. It follows redirects itself, so that every
hop is checked (scheme, address, robots.txt) and a loop is named as one; it reads bodies as a
stream and stops at the size limit, decompressing as it goes, so that neither an endless body nor
a compressed bomb can fill the memory.
"""

from __future__ import annotations

import threading
import time
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin, urlsplit
from urllib.robotparser import RobotFileParser

import httpcore
import httpx
from httpcore import SOCKET_OPTION

from .. import __version__
from ..config.fetch import FetchConfig, Network
from .guard import Refused, Resolver, check_host, check_url, resolve

ROBOTS_AGENT = "feedgen-pipeline"
_RETRY_STATUS = frozenset({429, 500, 502, 503, 504})
_ROBOTS_MAX_BYTES = 500_000


def user_agent(contact: str) -> str:
    return f"{ROBOTS_AGENT}/{__version__} (+{contact})"


@dataclass(frozen=True)
class Response:
    """A successful GET: 200 with its body, or 304 (the cached body still holds)."""

    url: str
    """The URL asked for."""
    final_url: str
    """Where the redirects ended."""
    status: int
    content_type: str
    """The media type without parameters; "" when the server named none."""
    charset: str | None
    etag: str | None
    last_modified: str | None
    body: bytes | None
    """None for a 304."""
    served: datetime | None = None
    """When the server sent it: its Date header, else when it arrived less its Age (what the
    relative dates of a page, "vor 3 Tagen", count from)."""


class FetchError(Exception):
    """A URL that gave no usable response; ``status`` is the HTTP status when there was one."""

    def __init__(self, url: str, reason: str, status: int | None = None) -> None:
        self.url = url
        self.reason = reason
        self.status = status
        super().__init__(f"{url}: {reason}")


class _PinnedBackend(httpcore.SyncBackend):
    """Opens connections only to addresses the guard has just checked: the host name is
    resolved once, here, and the socket connects to the checked address, while TLS still
    verifies the certificate against the name (httpcore passes it as the server name)."""

    def __init__(self, allowed: Sequence[Network], resolver: Resolver) -> None:
        self.allowed = allowed
        self.resolver = resolver

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        try:
            addresses = check_host(host, port, self.allowed, self.resolver)
        except Refused as e:
            raise httpcore.ConnectError(f"refused: {e}") from e
        failure: httpcore.ConnectError | None = None
        for address in addresses:
            try:
                return super().connect_tcp(
                    str(address), port, timeout, local_address, socket_options
                )
            except httpcore.ConnectError as e:
                failure = e
        assert failure is not None  # check_host gives at least one address
        raise failure


def _pinned_transport(allowed: Sequence[Network], resolver: Resolver) -> httpx.HTTPTransport:
    """httpx's own transport, its connection pool given the pinned backend (httpx takes no
    backend of its own; its pool has been ``_pool`` since 0.18, and a test fails without it)."""
    transport = httpx.HTTPTransport(trust_env=False)
    transport._pool = httpcore.ConnectionPool(
        ssl_context=httpx.create_ssl_context(trust_env=False),
        max_connections=100,
        max_keepalive_connections=20,
        keepalive_expiry=5.0,
        network_backend=_PinnedBackend(allowed, resolver),
    )
    return transport


@dataclass
class _Host:
    slots: threading.Semaphore
    lock: threading.Lock
    delay: float
    next_start: float = 0.0


class Fetcher:
    """GETs under the politeness rules of ``config``. ``transport`` and ``resolver`` are for
    tests; ``sleep`` and ``clock`` too (backoffs and delays use them)."""

    def __init__(
        self,
        config: FetchConfig,
        contact: str,
        *,
        transport: httpx.BaseTransport | None = None,
        resolver: Resolver = resolve,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        wall_clock: Callable[[], float] = time.time,
    ) -> None:
        self.config = config
        self.resolver = resolver
        self.sleep = sleep
        self.clock = clock
        self.wall_clock = wall_clock
        self.client = httpx.Client(
            transport=transport or _pinned_transport(config.allow_networks, resolver),
            follow_redirects=False,
            timeout=httpx.Timeout(config.read_timeout, connect=config.connect_timeout, pool=None),
            headers={
                "User-Agent": user_agent(contact),
                "Accept-Encoding": "gzip, deflate",
            },
            trust_env=False,  # a proxy from the environment would bypass the address check
        )
        self._hosts: dict[str, _Host] = {}
        self._robots: dict[str, RobotFileParser | bool] = {}
        self._lock = threading.Lock()

    def close(self) -> None:
        self.client.close()

    # ---------------------------------------------------------------- the one public call

    def get(
        self,
        url: str,
        *,
        accept: Sequence[str],
        max_bytes: int,
        robots: bool = True,
        etag: str | None = None,
        last_modified: str | None = None,
    ) -> Response:
        """GET ``url``. ``accept``: media types (or prefixes ending in "/") a body may have.
        Raises FetchError naming the URL and the status or the problem."""
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        current = url
        seen = {url}
        for _ in range(self.config.max_redirects + 1):
            self._check(url, current, robots)
            with self._attempts(url, current, headers) as response:
                if response.is_redirect and "location" in response.headers:
                    target = urljoin(current, response.headers["location"])
                    if target in seen:
                        raise FetchError(url, f"redirect loop at {current} → {target}")
                    seen.add(target)
                    current = target
                    continue
                content_type, charset = _content_type(response.headers.get("content-type"))
                validators = (response.headers.get("etag"), response.headers.get("last-modified"))
                if response.status_code == 304:
                    return Response(url, current, 304, content_type, charset, *validators, None)
                if response.status_code != 200:
                    raise FetchError(
                        url,
                        f"HTTP {response.status_code} {response.reason_phrase}".strip(),
                        response.status_code,
                    )
                if content_type and not _accepted(content_type, accept):
                    raise FetchError(url, f"unexpected content type {content_type}", 200)
                body = self._read(url, response, max_bytes)
                served = self._served(response.headers)
                return Response(url, current, 200, content_type, charset, *validators, body, served)
        raise FetchError(url, f"more than {self.config.max_redirects} redirects")

    def post(self, url: str, form: Mapping[str, str]) -> int:
        """POST ``form`` to ``url``, with the same address check, timeouts and retries as a GET
        (robots.txt is not asked: the URL is one the user configured). No redirect is followed.
        The status of a 2xx answer; raises FetchError naming the URL and the status otherwise."""
        self._check(url, url, robots=False)
        with self._attempts(url, url, {}, form) as response:
            if not 200 <= response.status_code < 300:
                reason = f"HTTP {response.status_code} {response.reason_phrase}".strip()
                raise FetchError(url, reason, response.status_code)
            return response.status_code

    # ---------------------------------------------------------------- the steps

    def _check(self, url: str, current: str, robots: bool) -> None:
        try:
            check_url(current, self.config.allow_networks, self.resolver)
        except Refused as e:
            raise FetchError(url, f"refused: {e}") from e
        if robots and not self._allowed(current):
            raise FetchError(url, f"disallowed by robots.txt ({current})")

    @contextmanager
    def _attempts(
        self,
        url: str,
        current: str,
        headers: dict[str, str],
        form: Mapping[str, str] | None = None,
    ) -> Iterator[httpx.Response]:
        """The response of the first attempt that is neither a 429, a 5xx nor a network error,
        after at most ``retries`` more; its body still unread. A GET, or a POST of ``form``."""
        host = urlsplit(current).netloc.lower()
        for attempt in range(self.config.retries + 1):
            last = attempt == self.config.retries
            wait = self.config.backoff * 2**attempt
            try:
                if form is None:
                    with self._turn(host):  # a publisher's pages, one polite turn each
                        request = self.client.build_request("GET", current, headers=headers)
                        response = self.client.send(request, stream=True)
                else:  # a hub the user named, which expects a ping per changed feed
                    request = self.client.build_request("POST", current, data=dict(form))
                    response = self.client.send(request, stream=True)
            except httpx.TimeoutException as e:
                if last:
                    raise FetchError(url, f"timed out ({type(e).__name__})") from e
            except httpx.HTTPError as e:
                if last:
                    raise FetchError(url, f"network error: {e}") from e
            else:
                try:
                    if response.status_code not in _RETRY_STATUS or last:
                        yield response
                        return
                    wait = self._retry_after(response.headers.get("retry-after"), wait)
                finally:
                    response.close()
            self.sleep(wait)

    def _retry_after(self, value: str | None, default: float) -> float:
        if not value:
            return default
        try:
            seconds = float(value)
        except ValueError:
            try:
                seconds = parsedate_to_datetime(value).timestamp() - self.wall_clock()
            except (TypeError, ValueError):
                return default
        return min(max(0.0, seconds), self.config.max_retry_after)

    def _served(self, headers: httpx.Headers) -> datetime:
        """When the response was made: its Date header (which caches on the way keep; the
        server's own clock, which its page's relative dates were counted with), else now less
        the seconds it spent in a cache (Age)."""
        try:
            date = parsedate_to_datetime(headers.get("date", ""))
            return date.replace(tzinfo=date.tzinfo or UTC).astimezone(UTC)  # HTTP dates are GMT
        except (TypeError, ValueError, IndexError):
            age = headers.get("age", "").strip()
            waited = int(age) if age.isdigit() else 0
            return datetime.fromtimestamp(self.wall_clock() - waited, UTC)

    def _read(self, url: str, response: httpx.Response, max_bytes: int) -> bytes:
        too_large = f"larger than the size limit ({max_bytes:,} bytes; see sources[].max_bytes)"
        length = response.headers.get("content-length", "")
        if (
            length.isdigit()
            and int(length) > max_bytes
            and "content-encoding" not in response.headers
        ):
            raise FetchError(url, too_large, 200)
        encoding = response.headers.get("content-encoding", "identity").strip().lower()
        inflate = None
        if encoding in ("gzip", "x-gzip"):
            inflate = zlib.decompressobj(zlib.MAX_WBITS | 16)
        elif encoding == "deflate":
            inflate = zlib.decompressobj()
        elif encoding not in ("identity", ""):
            raise FetchError(url, f"unsupported content encoding {encoding}", 200)
        chunks: list[bytes] = []
        size = 0
        try:
            for raw in response.iter_raw():
                # at most one byte past the limit per chunk: a bomb never inflates whole
                data = raw if inflate is None else inflate.decompress(raw, max_bytes + 1 - size)
                size += len(data)
                chunks.append(data)
                if size > max_bytes:
                    raise FetchError(url, too_large, 200)
        except httpx.TimeoutException as e:
            raise FetchError(url, f"timed out reading the body ({type(e).__name__})") from e
        except (httpx.HTTPError, zlib.error) as e:
            raise FetchError(url, f"broken body: {e}", 200) from e
        return b"".join(chunks)

    # ---------------------------------------------------------------- politeness

    def _host(self, host: str) -> _Host:
        with self._lock:
            if host not in self._hosts:
                self._hosts[host] = _Host(
                    threading.Semaphore(self.config.per_host), threading.Lock(), self.config.delay
                )
            return self._hosts[host]

    @contextmanager
    def _turn(self, host: str) -> Iterator[None]:
        """At most ``per_host`` requests to one host at once, their starts ``delay`` apart."""
        state = self._host(host)
        with state.slots:
            with state.lock:
                now = self.clock()
                start = max(now, state.next_start)
                state.next_start = start + state.delay
            if start > now:
                self.sleep(start - now)
            yield

    def _allowed(self, url: str) -> bool:
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc.lower()}"
        with self._lock:
            rules = self._robots.get(origin)
        if rules is None:
            rules = self._load_robots(origin)
            with self._lock:
                self._robots[origin] = rules
        if isinstance(rules, bool):
            return rules
        return rules.can_fetch(ROBOTS_AGENT, url)

    def _load_robots(self, origin: str) -> RobotFileParser | bool:
        """The rules of ``origin``: none (True) when it has no robots.txt (a 4xx), everything
        disallowed (False) when it cannot be read (a 5xx, a network error), as RFC 9309 says."""
        url = f"{origin}/robots.txt"
        try:
            response = self.get(url, accept=("text/",), max_bytes=_ROBOTS_MAX_BYTES, robots=False)
        except FetchError as e:
            return e.status is not None and 400 <= e.status < 500
        parser = RobotFileParser()
        parser.parse((response.body or b"").decode("utf-8", "replace").splitlines())
        delay = parser.crawl_delay(ROBOTS_AGENT)
        if delay is not None:
            host = self._host(urlsplit(origin).netloc)
            with host.lock:
                host.delay = max(host.delay, min(float(delay), 60.0))
        return parser


def _content_type(value: str | None) -> tuple[str, str | None]:
    """(media type, charset) of a Content-Type header."""
    if not value:
        return "", None
    media, *params = value.split(";")
    charset = None
    for param in params:
        key, _, val = param.partition("=")
        if key.strip().lower() == "charset" and val.strip():
            charset = val.strip().strip("\"'").lower()
    return media.strip().lower(), charset


def _accepted(content_type: str, accept: Sequence[str]) -> bool:
    return any(content_type.startswith(a) if a.endswith("/") else content_type == a for a in accept)
