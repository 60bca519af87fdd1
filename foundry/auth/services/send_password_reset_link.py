"""``SendPasswordResetLink``: the work of a forgot-password request, done on a worker."""

from __future__ import annotations

from foundry.auth.services.password_reset_service import PasswordResetService
from foundry.jobs import Job

__all__ = ["SendPasswordResetLink"]


class SendPasswordResetLink(Job):
    """Look the email up and, for a user, make a reset token and mail the link.

    Queued for every well-formed request, known address or not, so the answer costs the same
    either way (no timing oracle for which emails have accounts), no SMTP round trip holds the
    request, and the token exists only in the mail, never in the queue's payload.
    """

    tries = 3
    backoff = (10, 60)

    def __init__(self, email: str) -> None:
        self.email = email

    async def handle(self, resets: PasswordResetService) -> None:
        """Send the link (nothing for an unknown email)."""
        await resets.send_link(self.email)
