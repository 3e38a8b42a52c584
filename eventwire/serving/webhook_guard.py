"""Where a webhook may be sent: public addresses only, unless a team allows its own receiver.

A zone's webhook URL comes from whoever may write zones, and the server POSTs
to it, so without a check it is a way to make the server reach inside its own
network (cloud metadata at 169.254.169.254, admin pages on 10/8, the API's own
loopback). The URL is checked when a zone is drawn and the address again at
every connection, after DNS (a name that resolved to a public address at
drawing time may resolve to a private one later), and the connection is made to
the address that was checked. Redirects are not followed: a 3xx is a failed try.

``EVENTWIRE_WEBHOOK_ALLOW`` lists networks (``10.1.2.0/24,127.0.0.1/32``) a
webhook may reach though they are not public: a team's own internal receiver.
"""

from __future__ import annotations

import ipaddress
import os
import socket
from collections.abc import Iterable
from typing import Any
from urllib.parse import SplitResult, urlsplit

import httpcore

ALLOW_VARIABLE = "EVENTWIRE_WEBHOOK_ALLOW"
# names that only mean something inside a network (RFC 6761, 6762, 8375 and cloud metadata)
INTERNAL_SUFFIXES = (".internal", ".local", ".localhost", ".localdomain", ".home.arpa", ".lan",
                     ".intranet", ".corp")
Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network


class WebhookRefused(OSError):
    """A webhook URL or address that may not be reached; the message says why."""


def allowed_networks(value: str | None = None) -> list[Network]:
    """The allow-list from ``EVENTWIRE_WEBHOOK_ALLOW`` (or ``value``); a bad entry is an error."""
    text = os.environ.get(ALLOW_VARIABLE, "") if value is None else value
    networks = []
    for part in text.replace(";", ",").split(","):
        if part.strip():
            try:
                networks.append(ipaddress.ip_network(part.strip(), strict=False))
            except ValueError as exc:
                raise WebhookRefused(f"{ALLOW_VARIABLE}: {part.strip()!r} is not a network"
                                     ) from exc
    return networks


def is_public(address: Address) -> bool:
    """An address anyone on the internet could reach: not private, loopback, link-local, ..."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return address.is_global and not (
        address.is_private or address.is_loopback or address.is_link_local
        or address.is_multicast or address.is_reserved or address.is_unspecified)


def check_address(address: Address, allow: Iterable[Network] | None = None) -> None:
    networks = list(allowed_networks() if allow is None else allow)
    if is_public(address) or any(address in n for n in networks if n.version == address.version):
        return
    raise WebhookRefused(f"{address} is not a public address (allow it with {ALLOW_VARIABLE})")


def _literal(host: str) -> Address | None:
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        return None


def resolve(host: str, port: int) -> list[Address]:
    """Every address ``host`` resolves to (numeric forms like ``2130706433`` included)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as exc:
        raise WebhookRefused(f"{host} cannot be resolved ({exc})") from exc
    out: list[Address] = []
    for info in infos:
        text = str(info[4][0]).split("%")[0]
        out.append(ipaddress.ip_address(text))
    return out


def check_url(url: str, resolve_now: bool = True) -> SplitResult:
    """Refuse a webhook URL that is not http(s), carries credentials or names a non-public host.

    A name that cannot be resolved now is let through (the address is checked
    at every delivery); with ``resolve_now`` a name that resolves is checked now.
    """
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise WebhookRefused("webhook_url must be an http(s) URL with a host")
    if parts.username is not None or parts.password is not None or "@" in parts.netloc:
        raise WebhookRefused("webhook_url may not carry credentials; the signature "
                             "authenticates each delivery")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as exc:
        raise WebhookRefused("webhook_url has a bad port") from exc
    host = parts.hostname.rstrip(".").lower()
    allow = allowed_networks()
    literal = _literal(host)
    if literal is not None:
        check_address(literal, allow)
        return parts
    if "." not in host or host == "localhost" or host.endswith(INTERNAL_SUFFIXES):
        # an internal name is refused unless it resolves into the allow-list
        addresses = resolve(host, port) if allow else []
        if not addresses or not all(any(a in n for n in allow if n.version == a.version)
                                    for a in addresses):
            raise WebhookRefused(f"{host} is an internal name, not a public host")
        return parts
    if resolve_now:
        try:
            addresses = resolve(host, port)
        except WebhookRefused:
            return parts  # offline now; checked again at delivery
        for address in addresses:
            check_address(address, allow)
    return parts


def masked(url: str | None) -> str | None:
    """A webhook URL as shown to readers: scheme, host and port only (paths often hold keys)."""
    if not url:
        return url
    parts = urlsplit(url)
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    try:
        port = f":{parts.port}" if parts.port else ""
    except ValueError:
        port = ""
    return f"{parts.scheme}://{host}{port}/…"


class GuardedBackend(httpcore.SyncBackend):
    """Connects only to checked addresses: the name is resolved here, each address checked."""

    def connect_tcp(self, host: str, port: int, timeout: float | None = None,
                    local_address: str | None = None, socket_options: Any = None
                    ) -> httpcore.NetworkStream:
        allow = allowed_networks()
        addresses = resolve(host, port)
        for address in addresses:
            check_address(address, allow)
        last: Exception | None = None
        for address in addresses:
            try:
                return super().connect_tcp(str(address), port, timeout, local_address,
                                           socket_options)
            except httpcore.ConnectError as exc:
                last = exc
        raise last or WebhookRefused(f"{host} has no address")
