"""Fixtures of the OAuth2 feature tests: clients, users, and authlib's own OAuth2 client."""

from __future__ import annotations

import warnings
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from foundry.auth.passwords import PasswordHasher
from foundry.config.oauth2 import OAuth2Settings
from foundry.database import utcnow
from foundry.events import EventDispatcher, EventFake
from foundry.http.app import create_app
from foundry.http.oauth_client_access import MANAGE
from foundry.kernel.application import Application
from foundry.oauth2.clients import ClientRegistrar
from foundry.permissions import Permission
from tests.foundry.testbench.models import User

with warnings.catch_warnings():
    # authlib 1.9 prefers the httpx2 fork and warns once on import when it finds plain httpx
    # (pinned here at 0.28); the client itself works unchanged on httpx.
    warnings.filterwarnings("ignore", message="The httpx module is deprecated")
    from authlib.integrations.httpx_client import AsyncOAuth2Client

BASE = "https://testserver"
REDIRECT = "https://client.example.com/callback"
PASSWORD = "correct horse battery staple"


@dataclass(frozen=True)
class Registered:
    client_id: str
    secret: str | None


MakeClient = Callable[..., Awaitable[Registered]]


@pytest.fixture
async def http_app(application: Application, db: AsyncConnection) -> FastAPI:
    """The full app over the test's database."""
    return create_app(application)


@pytest.fixture
async def http(http_app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    """A plain httpx client (for the malformed requests a library would never send)."""
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=http_app), base_url=BASE
    ) as client:
        yield client


@pytest.fixture
def make_client(application: Application, session: AsyncSession) -> MakeClient:
    """``await make_client(grants=[...], public=True, ...)``: a registered client."""

    async def factory(
        *,
        grants: Sequence[str] = ("authorization_code", "refresh_token"),
        scopes: Sequence[str] = ("profile", "users:read"),
        redirect_uris: Sequence[str] = (REDIRECT,),
        public: bool = False,
        first_party: bool = False,
        name: str = "Test client",
    ) -> Registered:
        registrar = ClientRegistrar(session, application.container.make(OAuth2Settings))
        created = await registrar.create(
            name,
            redirect_uris=redirect_uris,
            grants=grants,
            scopes=scopes,
            public=public,
            first_party=first_party,
        )
        await session.commit()
        return Registered(created.client.client_id, created.secret)

    return factory


@pytest.fixture
async def user(application: Application, session: AsyncSession) -> User:
    """A verified user with :data:`PASSWORD` who may list users and manage their own clients."""
    hasher = application.container.make(PasswordHasher)
    created = User(
        name="Ada",
        email="ada@example.com",
        password=await hasher.hash(PASSWORD),
        email_verified_at=utcnow(),
    )
    session.add(created)
    await session.flush()
    await grant(session, created, MANAGE, "users.view")
    return created


async def grant(session: AsyncSession, user: User, *permissions: str) -> None:
    """Give ``user`` the named permissions (created when missing) and commit."""
    for name in permissions:
        await Permission.find_or_create(session, name)
    await user.give_permission_to(*permissions, session=session)
    await session.commit()


def oauth_client(app: FastAPI, registered: Registered, **kwargs: Any) -> AsyncOAuth2Client:
    """authlib's async OAuth2 client talking to ``app`` in process."""
    return AsyncOAuth2Client(
        client_id=registered.client_id,
        client_secret=registered.secret,
        transport=httpx.ASGITransport(app=app),
        base_url=BASE,
        **kwargs,
    )


@pytest.fixture
def events(application: Application) -> EventFake:
    """Faked events; list this fixture before ``session`` users so the fake lands on the root
    container (a fake made inside the session's scope would not be seen by requests)."""
    return application.container.make(EventDispatcher).fake()
