"""Trusted proxies: believe ``X-Forwarded-For/Proto/Host`` only from the proxies you configured.

Behind a load balancer every request arrives from the balancer's address, and the client's own
address, scheme and host travel in ``X-Forwarded-*`` headers. Anyone can send those headers, so
they are read only when the connection comes from an address in ``TRUSTED_PROXIES``; otherwise
they are removed, so nothing further in (rate limits, logs, redirects, links) can be fooled.

uvicorn's own ``ProxyHeadersMiddleware`` does not handle ``X-Forwarded-Host``, so this one does
the three; ``artisan serve`` turns uvicorn's off (``proxy_headers=False``) so that only this
configuration decides.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Sequence

from starlette.types import ASGIApp, Receive, Scope, Send

__all__ = ["FORWARDED_HEADERS", "ProxyHeadersMiddleware", "TrustedProxies"]

_FOR, _PROTO, _HOST = b"x-forwarded-for", b"x-forwarded-proto", b"x-forwarded-host"
FORWARDED_HEADERS = frozenset({_FOR, _PROTO, _HOST})
_SCHEMES = {
    "http": {"http": "http", "https": "https"},
    "websocket": {"http": "ws", "https": "wss", "ws": "ws", "wss": "wss"},
}
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


class TrustedProxies:
    """A set of proxy addresses and networks; ``"*"`` trusts every peer (use it only when the
    app cannot be reached except through the proxy)."""

    def __init__(self, entries: Iterable[str]) -> None:
        entries = [entry.strip() for entry in entries if entry.strip()]
        self.everyone = "*" in entries
        self.networks: tuple[IPNetwork, ...] = tuple(
            ipaddress.ip_network(entry, strict=False) for entry in entries if entry != "*"
        )

    def __bool__(self) -> bool:
        return self.everyone or bool(self.networks)

    def __contains__(self, host: object) -> bool:
        if self.everyone:
            return True
        if not isinstance(host, str):
            return False
        try:
            address = ipaddress.ip_address(host)
        except ValueError:
            return False
        return any(address in network for network in self.networks)


def _values(raw: bytes) -> list[str]:
    return [part.strip() for part in raw.decode("latin-1").split(",") if part.strip()]


def _client_from(forwarded_for: Sequence[str], proxies: TrustedProxies) -> str | None:
    # Each proxy appends the address it received the request from: walking from the right, the
    # first hop that is not one of our proxies is the client (the left part is client-written).
    for hop in reversed(forwarded_for):
        if hop not in proxies:
            return hop if _is_ip(hop) else None
    return forwarded_for[0] if forwarded_for and _is_ip(forwarded_for[0]) else None


def _is_ip(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


class ProxyHeadersMiddleware:
    """Sets ``scope["client"]``, ``scope["scheme"]`` and the ``Host`` header from the
    ``X-Forwarded-*`` headers of a trusted proxy; strips those headers from anyone else."""

    def __init__(self, app: ASGIApp, *, trusted_proxies: Iterable[str]) -> None:
        self.app = app
        self.proxies = TrustedProxies(trusted_proxies)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] in ("http", "websocket"):
            scope = self.forwarded(scope)
        await self.app(scope, receive, send)

    def forwarded(self, scope: Scope) -> Scope:
        """``scope`` as the client sent it through a trusted proxy (a copy when it changes)."""
        headers: list[tuple[bytes, bytes]] = scope.get("headers", [])
        forwarded: dict[bytes, bytes] = {}
        for key, value in headers:
            if key in FORWARDED_HEADERS:
                # Several lines of one header are one comma-separated list (RFC 9110 5.3).
                forwarded[key] = forwarded[key] + b"," + value if key in forwarded else value
        if not forwarded:
            return scope
        scope = dict(scope)
        kept = [(key, value) for key, value in headers if key not in FORWARDED_HEADERS]
        if self._trusted(scope.get("client")):
            self._apply(scope, forwarded, kept)
        scope["headers"] = kept
        return scope

    def _trusted(self, peer: object) -> bool:
        # No peer address: a Unix socket, trusted only by "*".
        if isinstance(peer, (tuple, list)) and peer:
            return peer[0] in self.proxies
        return self.proxies.everyone

    def _apply(
        self, scope: Scope, forwarded: dict[bytes, bytes], headers: list[tuple[bytes, bytes]]
    ) -> None:
        if _FOR in forwarded:
            client = _client_from(_values(forwarded[_FOR]), self.proxies)
            if client is not None:
                scope["client"] = (client, 0)
        if _PROTO in forwarded:
            protos = _values(forwarded[_PROTO])
            scheme = _SCHEMES[scope["type"]].get(protos[-1].lower()) if protos else None
            if scheme is not None:
                scope["scheme"] = scheme
        if _HOST in forwarded:
            hosts = _values(forwarded[_HOST])
            if hosts:
                headers[:] = [(k, v) for k, v in headers if k != b"host"]
                headers.append((b"host", hosts[-1].encode("latin-1")))
