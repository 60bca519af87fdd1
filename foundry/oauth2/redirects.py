"""Redirect URI matching (RFC 9700 section 4.1.3): exact string comparison.

The one exception is RFC 8252 section 7.3: for a loopback IP redirect URI (``127.0.0.1`` or
``[::1]``) a native app picks a free port at run time, so only the port may differ. Anything
with userinfo, a fragment, or that is not an absolute URI is never a valid redirect.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from urllib.parse import SplitResult, urlsplit

__all__ = [
    "LOOPBACK_HOSTS",
    "is_loopback_host",
    "is_plain_http_remote",
    "is_valid_redirect_uri",
    "matches_registered",
]

LOOPBACK_HOSTS = frozenset({"127.0.0.1", "::1"})


def _split(uri: str) -> SplitResult | None:
    try:
        parts = urlsplit(uri)
        parts.port  # noqa: B018  # raises ValueError on a malformed port
    except ValueError:
        return None
    return parts


def is_valid_redirect_uri(uri: str) -> bool:
    """Whether ``uri`` may be registered: absolute, no fragment, no userinfo, no whitespace."""
    parts = _split(uri)
    if parts is None or not parts.scheme or not parts.netloc or parts.fragment:
        return False
    if "@" in parts.netloc or any(c.isspace() for c in uri) or "\\" in uri:
        return False
    if parts.scheme not in ("https", "http"):
        # Private-use schemes of native apps (com.example.app:/callback) have no netloc.
        return False
    return True


def is_loopback_host(host: str | None) -> bool:
    """``localhost`` or a loopback IP address (``127.0.0.0/8``, ``::1``)."""
    if host is None:
        return False
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def is_plain_http_remote(uri: str) -> bool:
    """Whether ``uri`` sends the code over plain ``http`` to a host other than this machine.

    Confidential clients are web servers: their redirect URIs must be ``https`` (RFC 9700
    section 2.6), or loopback for local development.
    """
    parts = _split(uri)
    return parts is not None and parts.scheme == "http" and not is_loopback_host(parts.hostname)


def _loopback_match(registered: str, presented: str) -> bool:
    reg, got = _split(registered), _split(presented)
    if reg is None or got is None or reg.hostname not in LOOPBACK_HOSTS:
        return False
    if "@" in got.netloc or got.fragment:
        return False
    return (
        reg.scheme == got.scheme == "http"
        and reg.hostname == got.hostname
        and reg.path == got.path
        and reg.query == got.query
    )


def matches_registered(presented: str, registered: Iterable[str]) -> bool:
    """Whether ``presented`` equals one registered URI (loopback: any port)."""
    for uri in registered:
        if presented == uri or _loopback_match(uri, presented):
            return True
    return False
