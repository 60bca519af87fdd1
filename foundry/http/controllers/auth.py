"""``/api/v1/auth``: register, login, refresh, logout, the current user and their password."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse

from foundry.auth.jwt import TokenClaims
from foundry.auth.services.auth_service import AuthService
from foundry.http.auth import CurrentUser, FirstPartyUser, token_claims
from foundry.http.dependencies import Inject
from foundry.http.mfa import require_mfa
from foundry.http.requests import Validated
from foundry.http.requests.auth import (
    ChangePasswordRequest,
    LoginRequest,
    RefreshRequest,
    RegisterRequest,
    UpdateProfileRequest,
)
from foundry.http.resources.user import UserResource
from foundry.mfa.factors import MfaClient
from foundry.mfa.service import MfaService

__all__ = ["router"]

router = APIRouter(prefix="/auth", tags=["auth"])
Claims = Annotated[TokenClaims, Depends(token_claims)]


@router.post("/register", status_code=201)
async def register(data: Validated[RegisterRequest], auth: Inject[AuthService]) -> dict[str, Any]:
    """Create an account and log in."""
    user, tokens = await auth.register(data.name, data.email, data.password)
    return {**tokens.to_dict(), "user": {"id": user.id, "name": user.name, "email": user.email}}


@router.post("/login")
async def login(
    request: Request, data: Validated[LoginRequest], mfa: Inject[MfaService]
) -> dict[str, Any]:
    """A token pair for valid credentials (401 otherwise; 429 after 5 failures a minute); for a
    user with MFA ``{"status": "mfa_required", "mfa_token", "methods"}`` instead (finish at
    ``POST /auth/mfa/verify``)."""
    client = MfaClient(
        ip=request.client.host if request.client else None,
        user_agent=request.headers.get("user-agent"),
    )
    return await mfa.login(data.email, data.password, client)


@router.post("/refresh")
async def refresh(data: Validated[RefreshRequest], auth: Inject[AuthService]) -> dict[str, Any]:
    """Spend a refresh token for a new pair; a reused one ends its whole login."""
    return (await auth.refresh(data.refresh_token)).to_dict()


@router.get("/me")
async def me(request: Request, user: CurrentUser) -> JSONResponse:
    """The authenticated user."""
    return UserResource(user).to_response(request)


@router.patch("/me")
async def update_me(
    request: Request,
    user: FirstPartyUser,
    data: Validated[UpdateProfileRequest],
    auth: Inject[AuthService],
) -> JSONResponse:
    """Change the name or email (a new email must be verified again)."""
    updated = await auth.update_profile(user, name=data.name, email=data.email)
    return UserResource(updated).to_response(request)


@router.post("/password", dependencies=[Depends(require_mfa())])
async def change_password(
    user: FirstPartyUser,
    claims: Claims,
    data: Validated[ChangePasswordRequest],
    auth: Inject[AuthService],
) -> dict[str, Any]:
    """Change the password; every other session ends and this one gets fresh tokens. A user
    with MFA needs a recent second factor (403 ``mfa_required``: step up first)."""
    tokens = await auth.change_password(user, claims, data.current_password, data.password)
    return tokens.to_dict()


@router.post("/logout", status_code=204)
async def logout(user: CurrentUser, claims: Claims, auth: Inject[AuthService]) -> None:
    """End this session: the access token and its refresh tokens stop working."""
    await auth.logout(user, claims)


@router.post("/logout-all", status_code=204)
async def logout_all(user: FirstPartyUser, claims: Claims, auth: Inject[AuthService]) -> None:
    """End every session of the user."""
    await auth.logout_all(user, claims)
