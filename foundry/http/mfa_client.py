"""``Client``: who is attempting a second factor (IP and user agent), for throttles and audit."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends
from starlette.requests import Request

from foundry.mfa.factors import MfaClient

__all__ = ["Client", "mfa_client"]


def mfa_client(request: Request) -> MfaClient:
    """The request's client address (after the trusted proxy headers) and ``User-Agent``."""
    return MfaClient(
        ip=request.client.host if request.client else None,
        user_agent=request.headers.get("user-agent"),
    )


Client = Annotated[MfaClient, Depends(mfa_client)]
