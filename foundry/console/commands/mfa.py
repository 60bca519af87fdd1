"""``mfa:stats`` and ``mfa:reset``: MFA adoption and failure rates, and support's reset.

::

    artisan mfa:stats --days 30        # adoption per method, failure rates over 30 days
    artisan mfa:reset ada@example.com --reason "lost phone, ticket 4411"

``mfa:reset`` removes every second factor of the user (their recovery codes too): they log in
with their password alone afterwards, or get the enrolment-only token if their role requires
MFA. The reset is written to the MFA audit trail with the reason.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Annotated

import typer

from foundry.console.context import CommandError
from foundry.console.output import Output
from foundry.console.runtime import load_config, run_in_application
from foundry.kernel.application import Application
from foundry.kernel.container import Container

__all__ = ["mfa_reset", "mfa_stats"]


def mfa_stats(
    days: Annotated[
        int, typer.Option("--days", min=1, help="The window of the failure rates, in days")
    ] = 30,
) -> None:
    """Show MFA adoption per method and second-factor failure rates."""
    from foundry.mfa.analytics import Adoption, FailureRate, MfaAnalyticsService

    async def work(
        application: Application, scope: Container
    ) -> tuple[list[Adoption], list[FailureRate]]:
        analytics = scope.make(MfaAnalyticsService)
        since = datetime.now(UTC) - timedelta(days=days)
        return await analytics.adoption(), await analytics.failure_rates(since)

    adoption, failures = run_in_application(work, load_config())
    output = Output()
    output.info("Adoption")
    output.table(
        ["Method", "Users", "Share"],
        [[a.method, f"{a.users}/{a.total}", f"{a.percent:.1f}%"] for a in adoption],
    )
    output.info(f"Failure rates, last {days} day(s)")
    if not failures:
        output.line("No second-factor attempts.")
        return
    output.table(
        ["Method", "Verified", "Failed", "Failure rate"],
        [[f.method, str(f.verified), str(f.failed), f"{f.percent:.1f}%"] for f in failures],
    )


def mfa_reset(
    user: Annotated[str, typer.Argument(help="The user's id or email address")],
    reason: Annotated[
        str | None, typer.Option("--reason", help="Why (kept in the MFA audit trail)")
    ] = None,
) -> None:
    """Remove every second factor of a user (audited)."""
    from sqlalchemy.ext.asyncio import AsyncSession

    from foundry.auth.user_provider import UserProvider
    from foundry.mfa.service import MfaService

    async def work(application: Application, scope: Container) -> tuple[int, list[str]]:
        session = scope.make(AsyncSession)
        users = scope.make(UserProvider)
        found = (
            await users.find(session, int(user))
            if user.isdigit()
            else await users.find_by_email(session, user)
        )
        if found is None:
            raise CommandError(f"No user {user}.")
        return found.id, await scope.make(MfaService).reset(found, reason)

    user_id, removed = run_in_application(work, load_config())
    listed = ", ".join(removed) if removed else "none were enrolled"
    Output().info(f"Second factors of user [{user_id}] removed ({listed}).")
