"""Who may manage OAuth2 clients through the API: the ONE place to change that rule.

Today (Passport's behaviour) any user signed in with a first-party login token manages the
clients they own, and only those (OAuth and personal access tokens are refused). When the permission system lands, add its check here (for example
``require_permission("oauth-clients.manage")``, and let holders of an admin permission see every
client by returning ``owner_id=None``); every client route uses this dependency.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends

from app.http.auth import FirstPartyUser
from app.models.user import User

__all__ = ["ClientManager", "ClientScope", "client_manager"]


@dataclass(frozen=True, slots=True)
class ClientScope:
    """The acting user and the owner whose clients they may see (``None``: every client)."""

    user: User
    owner_id: int | None


async def client_manager(user: FirstPartyUser) -> ClientScope:
    """A user signed in with a first-party login token, limited to their own clients."""
    return ClientScope(user, user.id)


ClientManager = Annotated[ClientScope, Depends(client_manager)]
