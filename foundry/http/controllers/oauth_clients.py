"""``/api/v1/oauth/clients``: register, list, show, update, revoke and re-key OAuth2 clients.

Access goes through :data:`foundry.http.oauth_client_access.ClientManager` (owners see their own).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from starlette.responses import Response

from foundry.http.dependencies import Inject
from foundry.http.oauth_client_access import ClientManager
from foundry.http.requests import Validated
from foundry.http.requests.oauth import CreateClientRequest, UpdateClientRequest
from foundry.oauth2.models.oauth_client import OAuthClient
from foundry.oauth2.services.client_service import ClientService

__all__ = ["router"]

router = APIRouter(prefix="/oauth/clients", tags=["oauth2"])


def _show(client: OAuthClient) -> dict[str, Any]:
    return {
        "client_id": client.client_id,
        "name": client.name,
        "redirect_uris": list(client.redirect_uris),
        "grants": list(client.grant_types),
        "scopes": client.scope_list,
        "public": client.public,
        "first_party": client.first_party,
        "revoked": client.revoked,
        "created_at": client.created_at,
    }


@router.get("")
async def index(manager: ClientManager, clients: Inject[ClientService]) -> dict[str, Any]:
    """The clients the user may manage."""
    return {"data": [_show(c) for c in await clients.all(manager.owner_id)]}


@router.post("", status_code=201)
async def store(
    data: Validated[CreateClientRequest], manager: ClientManager, clients: Inject[ClientService]
) -> dict[str, Any]:
    """Register a client owned by the user; ``client_secret`` is in this answer only.

    Clients made through the API are never first-party (that is an operator's decision,
    ``artisan oauth:client --first-party``), and the password grant is not offered here.
    """
    created = await clients.create(
        data.name,
        redirect_uris=data.redirect_uris,
        grants=data.grants,
        scopes=data.scopes,
        public=data.public,
        user_id=manager.user.id,
    )
    return {"data": _show(created.client), "client_secret": created.secret}


@router.get("/{client_id}")
async def show(
    client_id: str, manager: ClientManager, clients: Inject[ClientService]
) -> dict[str, Any]:
    """One client (404 if the user may not manage it)."""
    return {"data": _show(await clients.find(client_id, manager.owner_id))}


@router.patch("/{client_id}")
async def update(
    client_id: str,
    data: Validated[UpdateClientRequest],
    manager: ClientManager,
    clients: Inject[ClientService],
) -> dict[str, Any]:
    """Rename a client or replace its redirect URIs."""
    client = await clients.update(
        client_id, manager.owner_id, name=data.name, redirect_uris=data.redirect_uris
    )
    return {"data": _show(client)}


@router.post("/{client_id}/secret")
async def regenerate_secret(
    client_id: str, manager: ClientManager, clients: Inject[ClientService]
) -> dict[str, Any]:
    """A new secret for a confidential client (shown once; the old one stops working)."""
    client, secret = await clients.regenerate_secret(client_id, manager.owner_id)
    return {"data": _show(client), "client_secret": secret}


@router.delete("/{client_id}", status_code=204, response_model=None)
async def destroy(
    client_id: str, manager: ClientManager, clients: Inject[ClientService]
) -> Response:
    """Revoke the client and every token it holds."""
    await clients.revoke(client_id, manager.owner_id)
    return Response(status_code=204)
