"""The token endpoint's service: the shared authorization server and the lazily opened session."""

from __future__ import annotations

import base64

import pytest
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession
from starlette.datastructures import Headers

from foundry.config.oauth2 import OAuth2Settings
from foundry.kernel.application import Application
from foundry.oauth2.clients import ClientRegistrar
from foundry.oauth2.context import GrantContext
from foundry.oauth2.request import FoundryOAuth2Request
from foundry.oauth2.server import OAuth2Response, SharedAuthorizationServer
from foundry.oauth2.services.oauth2_service import OAuth2Service


def test_the_shared_server_answers_only_from_the_call_in_progress(
    application: Application,
) -> None:
    server = application.container.make(SharedAuthorizationServer)
    assert application.container.make(SharedAuthorizationServer) is server
    with pytest.raises(RuntimeError):
        server.ctx
    outer, inner = GrantContext(), GrantContext()
    seen: list[GrantContext] = []

    def record() -> OAuth2Response:
        seen.append(server.ctx)
        return OAuth2Response(200, {})

    def nested() -> OAuth2Response:
        record()
        server.respond(inner, record)
        return record()

    server.respond(outer, nested)
    assert seen == [outer, inner, outer]
    assert [id(ctx) for ctx in seen] == [id(outer), id(inner), id(outer)]
    with pytest.raises(RuntimeError):
        server.ctx


async def test_a_cached_client_credentials_token_opens_no_session(
    application: Application, db: AsyncConnection
) -> None:
    async with application.container.scope() as scope:
        session = scope.make(AsyncSession)
        created = await ClientRegistrar(session, scope.make(OAuth2Settings)).create(
            "machine", grants=["client_credentials"], scopes=["users:read"]
        )
        await session.commit()
    basic = base64.b64encode(f"{created.client.client_id}:{created.secret}".encode()).decode()
    headers = Headers({"authorization": f"Basic {basic}"})
    form = [("grant_type", "client_credentials"), ("scope", "users:read")]
    issued: list[str] = []
    for _ in range(2):  # the first loads the client (a query), the second finds it cached
        async with application.container.scope() as scope:
            request = FoundryOAuth2Request("POST", "https://x/oauth/token", headers, form=form)
            response = await scope.make(OAuth2Service).token(request)
            assert response.status == 200, response.body
            issued.append(response.body["access_token"])
            opened = scope.resolved(AsyncSession) is not None
    assert not opened
    assert issued[0] != issued[1]
