"""A small HTTP server on 127.0.0.1 for the fetching tests: routes are functions of the request,
and every request is logged. Nothing in the tests sends traffic anywhere else."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Reply:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    """Sent as they are; a "Date" here stands for the server clock's, and "" leaves one out."""
    delay: float = 0.0
    """Seconds before the status line is sent."""
    stream: Iterator[bytes] | None = None
    """A body without length, sent chunk by chunk until the client hangs up."""


@dataclass(frozen=True)
class Hit:
    path: str
    status: int
    headers: dict[str, str]
    body: bytes = b""
    """What a POST sent."""


Route = Callable[[dict[str, str]], Reply]


class Server:
    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.log: list[Hit] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                self.do_GET(self.rfile.read(length))

            def do_GET(self, sent: bytes = b"") -> None:
                headers = {k.lower(): v for k, v in self.headers.items()}
                route = server.routes.get(self.path)
                reply = route(headers) if route else Reply(404, b"not found")
                server.log.append(Hit(self.path, reply.status, headers, sent))
                if reply.delay:
                    time.sleep(reply.delay)
                try:
                    if "Date" in reply.headers:  # the reply's own (or, as "", none)
                        self.send_response_only(reply.status)
                        self.send_header("Server", self.version_string())
                    else:
                        self.send_response(reply.status)
                    for key, value in reply.headers.items():
                        if value:
                            self.send_header(key, value)
                    if reply.stream is not None:
                        self.send_header("Connection", "close")
                        self.end_headers()
                        for chunk in reply.stream:
                            self.wfile.write(chunk)
                        return
                    self.send_header("Content-Length", str(len(reply.body)))
                    self.end_headers()
                    self.wfile.write(reply.body)
                except (BrokenPipeError, ConnectionResetError):
                    self.close_connection = True

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def url(self, path: str) -> str:
        return self.base + path

    def hits(self, path: str) -> list[Hit]:
        return [h for h in self.log if h.path == path]

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def page(title: str, *paragraphs: str, head: str = "") -> bytes:
    """An article page: a headline and its paragraphs."""
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f"<!doctype html><html><head><meta charset='utf-8'><title>{title}</title>{head}</head>"
        f"<body><article><h1>{title}</h1>{body}</article></body></html>"
    ).encode()


def static(body: bytes, content_type: str = "text/html; charset=utf-8", **headers: str) -> Route:
    return lambda request: Reply(200, body, {"Content-Type": content_type, **headers})


def with_etag(body: bytes, etag: str, content_type: str = "text/html; charset=utf-8") -> Route:
    """200 with an ETag; 304 when the request names it."""

    def route(request: dict[str, str]) -> Reply:
        if request.get("if-none-match") == etag:
            return Reply(304, headers={"ETag": etag})
        return Reply(200, body, {"Content-Type": content_type, "ETag": etag})

    return route


def with_last_modified(body: bytes, stamp: str) -> Route:
    """200 with a Last-Modified; 304 when the request names it."""

    def route(request: dict[str, str]) -> Reply:
        if request.get("if-modified-since") == stamp:
            return Reply(304)
        return Reply(200, body, {"Content-Type": "text/html", "Last-Modified": stamp})

    return route


def failing_first(body: bytes, times: int = 1, status: int = 500) -> Route:
    """``status`` (with Retry-After: 0) for the first ``times`` requests, then 200."""
    count = [0]

    def route(request: dict[str, str]) -> Reply:
        count[0] += 1
        if count[0] <= times:
            return Reply(status, b"busy", {"Retry-After": "0"})
        return Reply(200, body, {"Content-Type": "text/html"})

    return route


def redirect(target: str, status: int = 302) -> Route:
    return lambda request: Reply(status, b"", {"Location": target})


def endless() -> Iterator[bytes]:
    chunk = b"<p>" + b"more " * 2000 + b"</p>"
    while True:
        yield chunk
