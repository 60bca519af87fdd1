"""``auth:prune-revocations``: delete the ``revoked_tokens`` rows that deny nothing any more.

::

    artisan auth:prune-revocations

A row lasts as long as what it revokes could still be presented (an access token, a login's
access tokens, a browser session cookie); after that the denylist no longer needs it. Run it from
cron (hourly is plenty): the table then holds only the last ``JWT_ACCESS_TTL`` (or
``OAUTH2_SESSION_TTL``) worth of revocations.
"""

from __future__ import annotations

from foundry.console.output import Output
from foundry.console.runtime import load_config, run_in_application
from foundry.kernel.application import Application
from foundry.kernel.container import Container

__all__ = ["auth_prune_revocations"]


def auth_prune_revocations() -> None:
    """Delete expired token and session revocations."""
    from sqlalchemy.ext.asyncio import AsyncSession

    from foundry.auth.revocations import prune_revocations

    async def work(application: Application, scope: Container) -> int:
        session = scope.make(AsyncSession)
        count = await prune_revocations(session)
        await session.commit()
        return count

    count = run_in_application(work, load_config())
    Output().info(f"{count} expired revocation(s) pruned.")
