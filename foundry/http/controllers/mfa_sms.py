"""``/api/v1/auth/mfa/sms``: enrol a phone for sign-in codes, confirm it, remove it."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends
from starlette.responses import Response

from foundry.http.auth import FirstPartyUser
from foundry.http.dependencies import Inject
from foundry.http.mfa import EnrolmentUser, require_mfa
from foundry.http.mfa_client import Client
from foundry.http.requests import Validated
from foundry.http.requests.mfa_codes import DisableSmsRequest, EnrolPhoneRequest, MfaCodeRequest
from foundry.mfa.sms.service import SmsService

__all__ = ["router"]

#: The statuses the services raise, beyond what the signatures tell the OpenAPI document.
_NOT_ENROLLED: dict[int | str, dict[str, Any]] = {404: {"description": "No phone was enrolled"}}
_ENABLED: dict[int | str, dict[str, Any]] = {409: {"description": "The phone is already enabled"}}

router = APIRouter(prefix="/auth/mfa/sms", tags=["mfa"])


@router.post("", responses=_ENABLED, dependencies=[Depends(require_mfa())])
async def enrol(
    data: Validated[EnrolPhoneRequest], user: EnrolmentUser, sms: Inject[SmsService]
) -> dict[str, Any]:
    """Text a code to ``phone`` (E.164); answers where it went, masked, and its lifetime.

    429 when too many codes went to the user or the number; 409 when a phone is enabled.
    """
    return (await sms.enrol(user, data.phone)).to_dict()


@router.post("/confirm", responses={**_NOT_ENROLLED, **_ENABLED})
async def confirm(
    data: Validated[MfaCodeRequest], user: EnrolmentUser, client: Client, sms: Inject[SmsService]
) -> dict[str, Any]:
    """Enable the phone with the code texted to it (422 for a wrong or expired code)."""
    await sms.confirm(user, data.code, client)
    return {"message": "The phone is enabled for sign-in codes.", "method": "sms"}


@router.delete("", status_code=204, response_model=None, responses=_NOT_ENROLLED)
async def destroy(
    data: Validated[DisableSmsRequest],
    user: FirstPartyUser,
    client: Client,
    sms: Inject[SmsService],
) -> Response:
    """Remove the phone, with the account's ``password``."""
    await sms.disable(user, client, password=data.password)
    return Response(status_code=204)
