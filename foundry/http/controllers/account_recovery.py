"""``/api/v1/auth``: forgotten passwords and email verification."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from foundry.auth.services.email_verification_service import EmailVerificationService
from foundry.auth.services.password_reset_service import PasswordResetService
from foundry.http.auth import CurrentUser
from foundry.http.dependencies import Inject
from foundry.http.ids import RecordId
from foundry.http.requests import Validated
from foundry.http.requests.auth import ForgotPasswordRequest, ResetPasswordRequest

__all__ = ["router"]

router = APIRouter(prefix="/auth", tags=["auth"])

_SENT = "If that email address is in our system, we have emailed a password reset link."


@router.post("/forgot-password")
async def forgot_password(
    data: Validated[ForgotPasswordRequest], resets: Inject[PasswordResetService]
) -> dict[str, Any]:
    """Mail a reset link; the answer is the same whether or not the email exists."""
    await resets.forgot(data.email)
    return {"message": _SENT}


@router.post("/reset-password")
async def reset_password(
    data: Validated[ResetPasswordRequest], resets: Inject[PasswordResetService]
) -> dict[str, Any]:
    """Set a new password with the emailed token (single use, 60 minutes)."""
    await resets.reset(data.email, data.token, data.password)
    return {"message": "Your password has been reset."}


@router.post("/email/verification-notification")
async def send_verification(
    user: CurrentUser, verification: Inject[EmailVerificationService]
) -> dict[str, Any]:
    """Mail a fresh verification link (6 a minute at most)."""
    sent = await verification.send(user)
    return {"message": "Verification link sent." if sent else "Email already verified."}


@router.get("/email/verify/{user_id}/{hash_}", name="verification.verify")
async def verify_email(
    request: Request, user_id: RecordId, hash_: str, verification: Inject[EmailVerificationService]
) -> dict[str, Any]:
    """The link from the mail: signed, expiring, bound to the user's address."""
    signed_path = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    await verification.verify(user_id, hash_, signed_path)
    return {"message": "Your email address is verified."}
