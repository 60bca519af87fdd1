"""``/api/v1/auth/passkeys``: a user's passkeys (register, list, rename, delete) and
passwordless sign-in with one.

Registration and sign-in are two requests each: the options, handed to
``navigator.credentials.create()`` / ``.get()``, then the browser's answer.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from starlette.responses import Response

from foundry.http.auth import FirstPartyUser
from foundry.http.dependencies import Inject
from foundry.http.ids import RecordId
from foundry.http.mfa import EnrolmentUser, require_mfa
from foundry.http.requests import Validated
from foundry.http.requests.passkeys import (
    PasskeyAssertionRequest,
    RegisterPasskeyRequest,
    RenamePasskeyRequest,
)
from foundry.kernel.errors import NotFoundError
from foundry.mfa.factors import MfaClient
from foundry.mfa.models.webauthn_credential import WebAuthnCredential
from foundry.mfa.webauthn.passwordless import PasswordlessLogin
from foundry.mfa.webauthn.service import WebAuthnService

__all__ = ["router"]

router = APIRouter(prefix="/auth/passkeys", tags=["passkeys"])


def _client(request: Request) -> MfaClient:
    return MfaClient(
        ip=request.client.host if request.client else None,
        user_agent=request.headers.get("user-agent"),
    )


def _show(passkey: WebAuthnCredential) -> dict[str, Any]:
    return {
        "id": passkey.id,
        "name": passkey.name,
        "transports": passkey.transports,
        "created_at": passkey.created_at,
        "last_used_at": passkey.last_used_at,
    }


# Adding a factor to an account that has one needs a recent second factor (require_mfa): a
# stolen access token alone must not plant a permanent way in. The first one needs none, and
# enrolment-only tokens (users the policy makes enrol) may add it.
@router.post("/register/options", dependencies=[Depends(require_mfa())])
async def registration_options(
    user: EnrolmentUser, webauthn: Inject[WebAuthnService]
) -> dict[str, Any]:
    """Creation options for ``navigator.credentials.create({publicKey})`` (the user's passkeys
    excluded); the challenge is valid once, for a few minutes."""
    return await webauthn.registration_options(user)


@router.post("/register", status_code=201, dependencies=[Depends(require_mfa())])
async def register(
    request: Request,
    data: Validated[RegisterPasskeyRequest],
    user: EnrolmentUser,
    webauthn: Inject[WebAuthnService],
) -> dict[str, Any]:
    """Verify the browser's answer and keep the passkey under ``name``."""
    passkey = await webauthn.register(user, data.name, data.credential, _client(request))
    return {"data": _show(passkey)}


@router.get("")
async def index(user: EnrolmentUser, webauthn: Inject[WebAuthnService]) -> dict[str, Any]:
    """The user's passkeys (never their keys)."""
    return {"data": [_show(passkey) for passkey in await webauthn.for_user(user)]}


@router.patch("/{passkey_id}")
async def rename(
    passkey_id: RecordId,
    data: Validated[RenamePasskeyRequest],
    user: FirstPartyUser,
    webauthn: Inject[WebAuthnService],
) -> dict[str, Any]:
    """Rename one of the user's passkeys (404 if it is not theirs)."""
    passkey = await webauthn.find(user, passkey_id)
    if passkey is None:
        raise NotFoundError()
    return {"data": _show(await webauthn.rename(passkey, data.name))}


@router.delete(
    "/{passkey_id}", status_code=204, response_model=None, dependencies=[Depends(require_mfa())]
)
async def destroy(
    request: Request,
    passkey_id: RecordId,
    user: FirstPartyUser,
    webauthn: Inject[WebAuthnService],
) -> Response:
    """Delete one of the user's passkeys (404 if it is not theirs)."""
    passkey = await webauthn.find(user, passkey_id)
    if passkey is None:
        raise NotFoundError()
    await webauthn.remove(user, passkey, _client(request))
    return Response(status_code=204)


@router.post("/login/options")
async def login_options(login: Inject[PasswordlessLogin]) -> dict[str, Any]:
    """Request options for ``navigator.credentials.get({publicKey})`` with no
    ``allowCredentials``: the browser offers the passkeys it holds for this site."""
    return await login.options()


@router.post("/login/verify")
async def login_verify(
    request: Request, data: Validated[PasskeyAssertionRequest], login: Inject[PasswordlessLogin]
) -> dict[str, Any]:
    """A token pair (``amr: ["hwk"]``) for a valid assertion of a registered passkey."""
    user, tokens = await login.login(data.credential, _client(request))
    return {**tokens.to_dict(), "user": {"id": user.id, "name": user.name, "email": user.email}}
