"""Outgoing HTTP to URLs a user chose (push endpoints, a user's own webhook): only to public
addresses.

Checking a URL when it is saved is not enough: a public name can resolve to ``10.0.0.5``,
``169.254.169.254`` or ``127.0.0.1`` (at once, or later: DNS rebinding), and the server would then
post to its own neighbours on a user's say-so. :class:`PublicAddressBackend` resolves the host
itself, refuses the connection when *any* address is not globally routable, and connects to the
address it vetted, so nothing is resolved again between the check and the connection. TLS still
checks the certificate against the URL's host name (httpcore hands the original host to
``start_tls`` as ``server_hostname``), and the ``Host`` header is the URL's.

:func:`public_transport` is an ``httpx`` transport built on it; a refusal is a
:class:`NonPublicAddressError`, an ``httpx.RequestError`` but not an ``httpx.TransportError``,
so callers that retry network errors do not retry it.
"""

from __future__ import annotations

import ipaddress
import socket
import ssl
from collections.abc import Awaitable, Callable, Iterable, Sequence

import anyio
import httpcore
import httpx

__all__ = [
    "LOCAL_HOSTS",
    "NonPublicAddressError",
    "PublicAddressBackend",
    "Resolver",
    "is_public_address",
    "public_transport",
    "resolve_host",
]

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

#: ``(host, port) -> addresses``: how the backend resolves a name (tests inject their own).
Resolver = Callable[[str, int], Awaitable[Sequence[str]]]

#: This machine's own names: the only ones a development server may post to (as the push
#: subscription endpoint check allows ``http://127.0.0.1`` and ``localhost`` outside production).
LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})

# IPv6 prefixes that carry an IPv4 address the traffic really goes to.
_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")
_IPV4_COMPATIBLE = ipaddress.IPv6Network("::/96")


def _embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address in _NAT64:
        # On a network with NAT64, 64:ff9b::a00:5 *is* 10.0.0.5.
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def is_public_address(address: IPAddress) -> bool:
    """Whether ``address`` is globally routable: not private, loopback, link-local, multicast,
    reserved, unspecified, shared (CGNAT ``100.64.0.0/10``), documentation, nor an IPv6 form of
    such an IPv4 address (``::ffff:127.0.0.1``, 6to4, NAT64)."""
    if isinstance(address, ipaddress.IPv6Address):
        embedded = _embedded_ipv4(address)
        if embedded is not None:
            return is_public_address(embedded)
        # ::a.b.c.d (deprecated IPv4-compatible, and :: and ::1) and fec0::/10 (site-local)
        # count as global for ``ipaddress`` in some Python versions.
        if address in _IPV4_COMPATIBLE or address.is_site_local:
            return False
    # ``is_global`` alone lets multicast through (224.0.0.1 is "global" to ``ipaddress``).
    return address.is_global and not (
        address.is_multicast
        or address.is_reserved
        or address.is_unspecified
        or address.is_loopback
        or address.is_link_local
        or address.is_private
    )


def _loopback(address: IPAddress) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped.is_loopback
    return address.is_loopback


class NonPublicAddressError(httpx.RequestError):
    """The URL's host is, or resolves to, an address that is not public: nothing was sent.

    The message names the host only (the URL may carry a secret in its path or query).
    """

    def __init__(self, host: str) -> None:
        super().__init__(f"{host} is not a public address (or resolves to one that is not)")
        self.host = host


async def resolve_host(host: str, port: int) -> Sequence[str]:
    """The addresses of ``host`` (getaddrinfo in a worker thread: the event loop never waits)."""
    found = await anyio.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [str(info[4][0]) for info in found]


def _parse(address: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(address)
    except ValueError:
        return None


class PublicAddressBackend(httpcore.AsyncNetworkBackend):
    """An httpcore network backend that connects only to public addresses.

    Args:
        inner: the backend that opens the connections (``httpcore.AnyIOBackend()``); it is
            asked to connect to an IP address, never to a name.
        resolver: how names are resolved (:func:`resolve_host`).
        allow_local: let :data:`LOCAL_HOSTS` reach loopback addresses (development and tests,
            never production); every other name still needs public addresses.
    """

    def __init__(
        self,
        inner: httpcore.AsyncNetworkBackend | None = None,
        resolver: Resolver = resolve_host,
        *,
        allow_local: bool = False,
    ) -> None:
        self._inner = inner if inner is not None else httpcore.AnyIOBackend()
        self._resolver = resolver
        self._allow_local = allow_local

    async def vetted_addresses(self, host: str, port: int, timeout: float | None) -> list[str]:
        """The addresses of ``host`` to connect to, every one of them allowed.

        Raises:
            NonPublicAddressError: one address (or more) is not public.
            httpcore.ConnectError: the name does not resolve (a network error: may be retried).
            httpcore.ConnectTimeout: resolving took longer than ``timeout``.
        """
        name = host.strip("[]").rstrip(".").lower()
        literal = _parse(name)
        if literal is not None:
            found: Sequence[str] = [str(literal)]
        else:
            try:
                with anyio.fail_after(timeout):
                    found = await self._resolver(name, port)
            except TimeoutError as exc:
                raise httpcore.ConnectTimeout(f"resolving {name} timed out") from exc
            except OSError as exc:
                raise httpcore.ConnectError(f"{name} does not resolve: {exc}") from exc
        addresses: list[str] = []
        local = self._allow_local and name in LOCAL_HOSTS
        for text in found:
            # A scoped IPv6 address (fe80::1%eth0) parses with its scope; anything unparsable
            # is refused rather than handed to the socket layer to interpret.
            address = _parse(text)
            allowed = address is not None and (
                _loopback(address) if local else is_public_address(address)
            )
            if not allowed:
                raise NonPublicAddressError(name)
            if text not in addresses:
                addresses.append(text)
        if not addresses:
            raise httpcore.ConnectError(f"{name} has no address")
        return addresses

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        """Connect to the first vetted address of ``host`` that answers."""
        failure: Exception | None = None
        for address in await self.vetted_addresses(host, port, timeout):
            try:
                return await self._inner.connect_tcp(
                    address,
                    port,
                    timeout=timeout,
                    local_address=local_address,
                    socket_options=socket_options,
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                failure = exc
        assert failure is not None  # vetted_addresses never returns an empty list
        raise failure

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        """Refused: a Unix socket is this machine."""
        raise NonPublicAddressError("a Unix socket")

    async def sleep(self, seconds: float) -> None:
        """The inner backend's sleep (httpcore's connection retries)."""
        await self._inner.sleep(seconds)


class _PublicTransport(httpx.AsyncHTTPTransport):
    def __init__(self, backend: PublicAddressBackend, ssl_context: ssl.SSLContext) -> None:
        # No proxy (a proxy would resolve the name itself, after our check), no Unix socket.
        super().__init__(verify=ssl_context, trust_env=False)
        # httpx has no parameter for httpcore's network backend: the pool it built is replaced
        # by the same pool over ours (``_pool`` is the only attribute its request path uses).
        # tests/foundry/notifications/test_public_network.py proves requests go through the
        # backend: a canary for this private attribute when httpx is upgraded.
        limits = httpx.Limits(max_connections=100, max_keepalive_connections=20)  # httpx's
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=ssl_context,
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            network_backend=backend,
        )


def public_transport(
    *,
    allow_local: bool = False,
    resolver: Resolver = resolve_host,
    inner: httpcore.AsyncNetworkBackend | None = None,
    ssl_context: ssl.SSLContext | None = None,
) -> httpx.AsyncHTTPTransport:
    """An ``httpx`` transport over :class:`PublicAddressBackend` (see there for the arguments;
    ``ssl_context`` defaults to ``httpx.create_ssl_context()``, certificates verified).

    Every connection is checked, so even a client that follows redirects cannot be sent to an
    internal address by one (the notification channels follow none).
    """
    backend = PublicAddressBackend(inner, resolver, allow_local=allow_local)
    return _PublicTransport(backend, ssl_context or httpx.create_ssl_context())
