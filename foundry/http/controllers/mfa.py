"""``/api/v1/auth/mfa``: the second step of a login, step-up, the user's MFA status and their
recovery codes. ``POST /api/v1/auth/login`` itself is in :mod:`foundry.http.controllers.auth`.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request

from foundry.auth.jwt import TokenClaims
from foundry.http.auth import FirstPartyUser, OptionalUser, token_claims
from foundry.http.dependencies import Inject
from foundry.http.mfa import EnrolmentUser, require_mfa
from foundry.http.requests import Validated
from foundry.http.requests.mfa import MfaChallengeRequest, MfaProofRequest, MfaVerifyRequest
from foundry.kernel.errors import AuthenticationError
from foundry.mfa.factors import MfaClient
from foundry.mfa.service import MfaService

__all__ = ["mfa_client", "router"]

router = APIRouter(prefix="/auth/mfa", tags=["auth", "mfa"])
Claims = Annotated[TokenClaims, Depends(token_claims)]


def mfa_client(request: Request) -> MfaClient:
    """Who is asking: the client's IP and user agent, for throttling and the audit trail."""
    return MfaClient(
        ip=request.client.host if request.client else None,
        user_agent=request.headers.get("user-agent"),
    )


Client = Annotated[MfaClient, Depends(mfa_client)]


@router.get("")
async def status(user: EnrolmentUser, mfa: Inject[MfaService]) -> dict[str, Any]:
    """The user's enrolled methods, the methods on offer and whether MFA is required of them."""
    return {"data": await mfa.status(user)}


@router.post("/challenge")
async def challenge(
    data: Validated[MfaChallengeRequest],
    user: OptionalUser,
    client: Client,
    mfa: Inject[MfaService],
) -> dict[str, Any]:
    """Start a method that needs it (send an SMS code, WebAuthn request options): for the
    login's ``mfa_token``, or for the bearer token's user before a step-up."""
    if data.mfa_token is not None:
        return await mfa.challenge_for_token(data.mfa_token, data.method, client)
    if user is None:
        raise AuthenticationError(
            "Send the login's mfa_token, or a bearer token.", headers={"WWW-Authenticate": "Bearer"}
        )
    return await mfa.challenge(user, data.method, client)


@router.post("/verify")
async def verify(
    data: Validated[MfaVerifyRequest], client: Client, mfa: Inject[MfaService]
) -> dict[str, Any]:
    """Finish a login: the ``mfa_token`` and a proof give the token pair (401 for a wrong
    proof, 429 when locked out)."""
    return await mfa.verify(data.mfa_token, data.proof(), client)


@router.post("/step-up")
async def step_up(
    user: FirstPartyUser,
    claims: Claims,
    data: Validated[MfaProofRequest],
    client: Client,
    mfa: Inject[MfaService],
) -> dict[str, Any]:
    """Prove a factor again: a fresh token pair whose MFA time is now (this session's old
    tokens stop working)."""
    return await mfa.step_up(user, claims, data.proof(), client)


@router.post("/recovery-codes", dependencies=[Depends(require_mfa())])
async def recovery_codes(user: FirstPartyUser, mfa: Inject[MfaService]) -> dict[str, Any]:
    """New recovery codes (the old ones stop working), shown this once; needs a recent second
    factor."""
    codes = await mfa.regenerate_recovery_codes(user)
    return {"data": {"recovery_codes": codes, "remaining": len(codes)}}
