"""Who may manage OAuth2 clients through the API: the one place that rule lives.

A user signed in with a first-party login token (OAuth and personal access tokens are refused)
who may ``oauth-clients.manage`` manages the clients they own, as in Passport; one who may also
``oauth-clients.manage-any`` (admins; a super-admin through the Gate) sees and manages every
client. Anyone else gets 403 ``missing_permission``. Every client route uses this dependency.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends

from foundry.auth.user import AuthUser
from foundry.http.auth import FirstPartyUser
from foundry.http.permissions import require_permission

__all__ = ["MANAGE", "MANAGE_ANY", "ClientManager", "ClientScope", "client_manager"]


@dataclass(frozen=True, slots=True)
class ClientScope:
    """The acting user and the owner whose clients they may see (``None``: every client)."""

    user: AuthUser
    owner_id: int | None


MANAGE = "oauth-clients.manage"
MANAGE_ANY = "oauth-clients.manage-any"


async def client_manager(
    user: FirstPartyUser, _allowed: Annotated[AuthUser, Depends(require_permission(MANAGE))]
) -> ClientScope:
    """A first-party user allowed to manage clients: their own, or every one with ``MANAGE_ANY``."""
    return ClientScope(user, None if user.can(MANAGE_ANY) else user.id)


ClientManager = Annotated[ClientScope, Depends(client_manager)]
