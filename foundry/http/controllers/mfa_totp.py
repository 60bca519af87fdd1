"""``/api/v1/auth/mfa/totp``: enrol an authenticator app, confirm it, remove it."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends
from starlette.responses import Response

from foundry.http.auth import FirstPartyUser
from foundry.http.dependencies import Inject
from foundry.http.mfa import EnrolmentUser, require_mfa
from foundry.http.mfa_client import Client
from foundry.http.requests import Validated
from foundry.http.requests.mfa_codes import DisableTotpRequest, MfaCodeRequest
from foundry.mfa.totp.service import TotpService

__all__ = ["router"]

#: The statuses the services raise, beyond what the signatures tell the OpenAPI document.
_NOT_ENROLLED: dict[int | str, dict[str, Any]] = {
    404: {"description": "No authenticator app was enrolled"}
}
_ENABLED: dict[int | str, dict[str, Any]] = {
    409: {"description": "The authenticator app is already enabled"}
}

router = APIRouter(prefix="/auth/mfa/totp", tags=["mfa"])


@router.post("", responses=_ENABLED, dependencies=[Depends(require_mfa())])
async def enrol(user: EnrolmentUser, totp: Inject[TotpService]) -> dict[str, Any]:
    """A new secret: its ``otpauth://`` URI, the URI as an SVG QR code, and the secret itself
    for typing in. Nothing changes at login until it is confirmed (409 when already enabled)."""
    return (await totp.enrol(user)).to_dict()


@router.post("/confirm", responses={**_NOT_ENROLLED, **_ENABLED})
async def confirm(
    data: Validated[MfaCodeRequest], user: EnrolmentUser, client: Client, totp: Inject[TotpService]
) -> dict[str, Any]:
    """Enable the app with a first code from it (422 for a wrong or reused code, 429 after 5)."""
    await totp.confirm(user, data.code, client)
    return {"message": "The authenticator app is enabled.", "method": "totp"}


@router.delete("", status_code=204, response_model=None, responses=_NOT_ENROLLED)
async def destroy(
    data: Validated[DisableTotpRequest],
    user: FirstPartyUser,
    client: Client,
    totp: Inject[TotpService],
) -> Response:
    """Remove the app, with a current ``code`` from it or the ``password``."""
    await totp.disable(user, client, code=data.code, password=data.password)
    return Response(status_code=204)
