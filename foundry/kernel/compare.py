"""Constant-time comparison of a secret with what a client presented, whatever its characters."""

from __future__ import annotations

import hmac

__all__ = ["secrets_match"]


def secrets_match(expected: str, presented: str) -> bool:
    """Whether ``presented`` equals ``expected``, compared in constant time.

    ``hmac.compare_digest`` raises ``TypeError`` for a ``str`` holding a non-ASCII character, and
    the presented side comes from a client (a form field, a cookie, a URL): compared as UTF-8
    bytes, such a value is simply a mismatch instead of a 500.
    """
    return hmac.compare_digest(
        expected.encode("utf-8", "surrogatepass"), presented.encode("utf-8", "surrogatepass")
    )
