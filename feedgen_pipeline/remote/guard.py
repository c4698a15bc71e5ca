"""Which URLs may be fetched: http and https only, never the host's own network by default.

A hostile feed or sitemap could otherwise point the fetcher at 127.0.0.1, the cloud metadata
address or a router's admin page. Every address the host name resolves to is checked, so that a
name with one public and one private address is refused too; and the connection goes to an
address so checked, resolved once (``client.py``), so that a name which answers with a public
address for the check and a private one for the connection (DNS rebinding) reaches neither.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable, Sequence
from urllib.parse import urlsplit

from ..config.fetch import Network

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str, int], list[str]]


class Refused(Exception):
    """A URL that must not be fetched; the message says why."""


def resolve(host: str, port: int) -> list[str]:
    """Every address ``host`` resolves to (what a connection could reach)."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return sorted({str(info[4][0]) for info in infos})


def check_url(
    url: str, allowed: Sequence[Network] = (), resolver: Resolver = resolve
) -> list[Address]:
    """The addresses of ``url``'s host, once checked. Raises Refused for a scheme other than
    http(s), a host that does not resolve, or an address in a private, loopback, link-local,
    reserved or multicast range that no network of ``allowed`` contains."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise Refused(f"only http and https are fetched, not {parts.scheme or 'a relative URL'}")
    host = parts.hostname
    if not host:
        raise Refused("no host in the URL")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as e:
        raise Refused(f"bad port: {e}") from e
    return check_host(host, port, allowed, resolver)


def check_host(
    host: str, port: int, allowed: Sequence[Network] = (), resolver: Resolver = resolve
) -> list[Address]:
    """The addresses of ``host``, once checked (see ``check_url``)."""
    try:
        names = resolver(host, port)
    except OSError as e:
        raise Refused(f"cannot resolve {host}: {e}") from e
    addresses = []
    for name in names:
        address = ipaddress.ip_address(name.split("%", 1)[0])  # an IPv6 scope id is no address
        if _internal(address) and not any(address in net for net in allowed):
            raise Refused(
                f"{host} resolves to {address}, a private, loopback or link-local address "
                "(allow it with fetch.allow_networks)"
            )
        addresses.append(address)
    if not addresses:
        raise Refused(f"cannot resolve {host}")
    return addresses


def _internal(address: Address) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return _internal(address.ipv4_mapped)
    return (
        address.is_private
        or address.is_loopback
        or address.is_link_local
        or address.is_reserved
        or address.is_multicast
        or address.is_unspecified
    )
