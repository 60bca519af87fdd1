"""``/api/v1/oauth/clients``: register, list, show, update, revoke and re-key OAuth2 clients.

Access goes through :data:`foundry.http.oauth_client_access.ClientManager` (owners see their own).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.responses import Response

from foundry.auth.jwt import JwtService
from foundry.config.oauth2 import OAuth2Settings
from foundry.database.lazy_session import LazySession
from foundry.events import EventDispatcher
from foundry.http.dependencies import Inject
from foundry.http.oauth_client_access import ClientManager
from foundry.http.requests import Validated
from foundry.http.requests.oauth import CreateClientRequest, UpdateClientRequest
from foundry.kernel.errors import NotFoundError, ValidationError
from foundry.oauth2.client_cache import ClientCache
from foundry.oauth2.clients import ClientRegistrar
from foundry.oauth2.events import ClientCreated
from foundry.oauth2.models.oauth_client import OAuthClient
from foundry.oauth2.redirects import is_valid_redirect_uri
from foundry.oauth2.server import client_session_id
from foundry.oauth2.store import OAuth2Store

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


async def _find(registrar: ClientRegistrar, manager: ClientManager, client_id: str) -> OAuthClient:
    client = await registrar.find(client_id, owner_id=manager.owner_id)
    if client is None:
        raise NotFoundError()
    return client


@router.get("")
async def index(
    manager: ClientManager,
    session: Inject[AsyncSession],
    settings: Inject[OAuth2Settings],
    cache: Inject[ClientCache],
) -> dict[str, Any]:
    """The clients the user may manage."""
    clients = await ClientRegistrar(session, settings, cache).all(owner_id=manager.owner_id)
    return {"data": [_show(c) for c in clients]}


@router.post("", status_code=201)
async def store(
    data: Validated[CreateClientRequest],
    manager: ClientManager,
    session: Inject[AsyncSession],
    settings: Inject[OAuth2Settings],
    cache: Inject[ClientCache],
    events: Inject[EventDispatcher],
) -> dict[str, Any]:
    """Register a client owned by the user; ``client_secret`` is in this answer only.

    Clients made through the API are never first-party (that is an operator's decision,
    ``artisan oauth:client --first-party``), and the password grant is not offered here.
    """
    if "password" in data.grants:
        raise ValidationError({"grants": ["The password grant is granted by an operator only."]})
    created = await ClientRegistrar(session, settings, cache).create(
        data.name,
        redirect_uris=data.redirect_uris,
        grants=data.grants,
        scopes=data.scopes,
        public=data.public,
        user_id=manager.user.id,
    )
    await events.dispatch(ClientCreated(created.client.client_id, created.client.name))
    await session.commit()
    return {"data": _show(created.client), "client_secret": created.secret}


@router.get("/{client_id}")
async def show(
    client_id: str,
    manager: ClientManager,
    session: Inject[AsyncSession],
    settings: Inject[OAuth2Settings],
    cache: Inject[ClientCache],
) -> dict[str, Any]:
    """One client (404 if the user may not manage it)."""
    return {
        "data": _show(await _find(ClientRegistrar(session, settings, cache), manager, client_id))
    }


@router.patch("/{client_id}")
async def update(
    client_id: str,
    data: Validated[UpdateClientRequest],
    manager: ClientManager,
    session: Inject[AsyncSession],
    settings: Inject[OAuth2Settings],
    cache: Inject[ClientCache],
) -> dict[str, Any]:
    """Rename a client or replace its redirect URIs."""
    registrar = ClientRegistrar(session, settings, cache)
    client = await _find(registrar, manager, client_id)
    if data.redirect_uris is not None:
        bad = [u for u in data.redirect_uris if not is_valid_redirect_uri(u)]
        if bad:
            raise ValidationError(
                {"redirect_uris": [f"Not a valid redirect URI: {u}" for u in bad]}
            )
        client.redirect_uris = list(dict.fromkeys(data.redirect_uris))
    if data.name is not None:
        client.name = data.name.strip()
    registrar.changed(client)
    await session.commit()
    return {"data": _show(client)}


@router.post("/{client_id}/secret")
async def regenerate_secret(
    client_id: str,
    manager: ClientManager,
    session: Inject[AsyncSession],
    settings: Inject[OAuth2Settings],
    cache: Inject[ClientCache],
) -> dict[str, Any]:
    """A new secret for a confidential client (shown once; the old one stops working)."""
    registrar = ClientRegistrar(session, settings, cache)
    client = await _find(registrar, manager, client_id)
    if client.public:
        raise ValidationError({"client": ["A public client has no secret."]})
    secret = await registrar.regenerate_secret(client)
    await session.commit()
    return {"data": _show(client), "client_secret": secret}


@router.delete("/{client_id}", status_code=204, response_model=None)
async def destroy(
    client_id: str,
    manager: ClientManager,
    session: Inject[AsyncSession],
    settings: Inject[OAuth2Settings],
    cache: Inject[ClientCache],
    jwt: Inject[JwtService],
) -> Response:
    """Revoke the client and every token it holds."""
    registrar = ClientRegistrar(session, settings, cache)
    client = await _find(registrar, manager, client_id)
    await registrar.revoke(client)
    await OAuth2Store(LazySession.opened(session), jwt, settings).revoke_client_tokens(client.id)
    await session.commit()
    # Stateless client_credentials tokens have no record: deny them all through their ``sid``.
    await jwt.revoke_sessions([client_session_id(client.client_id)])
    return Response(status_code=204)
