"""How a login was authenticated, as access-token claims that survive refreshes.

* ``amr`` (RFC 8176): the methods used, ``["pwd"]``, ``["pwd", "otp"]``, ``["hwk"]``...
* ``acr``: :data:`ACR_MFA` once anything beyond a password proved the user, else :data:`ACR_PWD`;
* ``auth_time`` (OpenID Connect): when the user authenticated, in epoch seconds;
* ``mfa_at``: when a second factor was last proved (only with :data:`ACR_MFA`); step-up checks
  its age (``require_mfa(max_age=...)``).

They are stored with the refresh token's family, so a refreshed access token carries them
unchanged: refreshing never makes a login look stronger or more recent than it was.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

__all__ = ["ACR_MFA", "ACR_PWD", "ENROLMENT_ONLY_CLAIM", "login_claims"]

#: The ``acr`` of a login that proved more than a password.
ACR_MFA = "urn:foundry:acr:mfa"
#: The ``acr`` of a password-only login.
ACR_PWD = "urn:foundry:acr:pwd"
#: Set (``true``) on the restricted token of a user who must enrol a second factor and has not:
#: only routes that admit it (``EnrolmentUser``) accept it; every other answers 403.
ENROLMENT_ONLY_CLAIM = "mfa_enrolment_only"


def login_claims(amr: Sequence[str], now: int) -> dict[str, Any]:
    """The claims of a login proved by ``amr`` at ``now`` (epoch seconds)."""
    methods = list(dict.fromkeys(amr))
    multi = any(method != "pwd" for method in methods)
    claims: dict[str, Any] = {
        "amr": methods,
        "acr": ACR_MFA if multi else ACR_PWD,
        "auth_time": now,
    }
    if multi:
        claims["mfa_at"] = now
    return claims
