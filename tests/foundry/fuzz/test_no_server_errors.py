"""No request makes a 5xx: every route, fed hostile values, answers a 2xx, 3xx or 4xx.

A property-based test (hypothesis): each example sends one request to every method of every API
route of the test application, with plausible or hostile values (see :mod:`.hostile`) in the
path, the query string, the ``X-Team-ID`` header, the JSON body and the OAuth2 forms, signed in
as an admin with a first-party login token (or with no token, or a garbage one). It runs on
SQLite and PostgreSQL with ``PERMISSION_TEAMS=true``, against a migrated database the app commits
to for real. Derandomized and bounded: the same requests on every run.
"""

from __future__ import annotations

import os
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from sqlalchemy.ext.asyncio import AsyncSession

from foundry.auth.jwt import JwtService
from foundry.config.oauth2 import OAuth2Settings
from foundry.database.manager import DatabaseManager
from foundry.http.app import create_app
from foundry.kernel.application import Application
from foundry.oauth2.clients import ClientRegistrar
from foundry.permissions import Permission, Role
from foundry.testing import TestClient
from foundry.testing.database import migrate_database
from tests.conftest import MakeApplication
from tests.foundry.fuzz.hostile import (
    FORM_FIELDS,
    HOSTILE_STRINGS,
    Known,
    Operation,
    operations,
    requests,
)
from tests.foundry.testbench.factories import UserFactory
from tests.foundry.testbench.models import User

ADMIN_PERMISSIONS = (
    "roles.view",
    "roles.manage",
    "permissions.view",
    "permissions.manage",
    "users.view",
    "users.manage-access",
    "oauth-clients.manage",
    "oauth-clients.manage-any",
    "activity.view",
)
DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code"
#: Examples per database; each sends one request to every route (about 50). Raise it for a
#: longer hunt: ``FUZZ_EXAMPLES=300 pytest tests/foundry/fuzz``.
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "20"))


@dataclass(repr=False)
class Target:
    """The app under test, its admin, and the rows made for the current example."""

    application: Application
    client: TestClient
    jwt: JwtService
    admin_id: int
    operations: list[Operation]
    cookie: str
    made: int = 0

    def __repr__(self) -> str:  # hypothesis prints it with every failing example
        return f"Target(admin_id={self.admin_id})"

    async def known(self) -> Known:
        """Fresh rows to aim at: the previous example may have deleted or changed its own."""
        self.made += 1
        role, permission = f"editor-{self.made}", f"fuzz.permission-{self.made}"
        async with self.application.container.scope() as scope:
            session = scope.make(AsyncSession)
            created = await Permission.create(session, name=permission)
            editor = await Role.create(session, name=role)
            await editor.give_permission_to(permission, session=session)
            victim = await UserFactory.new().create(session)
            await victim.assign_role(role, session=session)
            admin = await session.get(User, self.admin_id)
            assert admin is not None
            token = await admin.create_token("script", ["profile"], session=session)
            registrar = ClientRegistrar(session, self.application.container.make(OAuth2Settings))
            client = await registrar.create(
                "Fuzzed client",
                redirect_uris=["https://client.example.com/callback"],
                grants=["authorization_code", "refresh_token", "client_credentials", DEVICE_GRANT],
                scopes=["profile", "users:read"],
                user_id=admin.id,
            )
            await session.commit()
        assert client.secret is not None
        # The sign-in page starts a browser session (a cookie in the client) and shows its token.
        page = await self.client.get("/oauth/login")
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
        return Known(
            user_id=victim.id,
            role_id=editor.id,
            permission_id=created.id,
            token_id=token.token.id,
            client_id=client.client.client_id,
            client_secret=client.secret,
            role=role,
            permission=permission,
            csrf_token=csrf.group(1) if csrf else "",
        )


async def _admin(application: Application) -> int:
    async with application.container.scope() as scope:
        session = scope.make(AsyncSession)
        for name in ADMIN_PERMISSIONS:
            await Permission.create(session, name=name)
        admin_role = await Role.create(session, name="admin")
        await admin_role.give_permission_to(*ADMIN_PERMISSIONS, session=session)
        admin = await UserFactory.new().state({"email": "admin@example.com"}).create(session)
        await admin.assign_role("admin", session=session)
        await session.commit()
        return admin.id


@pytest.fixture
async def target(make_application: MakeApplication, database_url: str) -> AsyncIterator[Target]:
    """The test application on a migrated database of its own, with an admin."""
    application = make_application(DATABASE_URL=database_url, PERMISSION_TEAMS="true")
    manager = application.container.make(DatabaseManager)
    await migrate_database(manager.url, settings=manager.settings)
    admin_id = await _admin(application)
    app = create_app(application)
    async with TestClient(app) as client:
        yield Target(
            application,
            client,
            application.container.make(JwtService),
            admin_id,
            operations(app),
            application.container.make(OAuth2Settings).session_cookie,
        )


_AUTH = st.sampled_from(("admin", "admin", "admin", "none", "garbage"))


@settings(
    max_examples=EXAMPLES,
    derandomize=True,
    database=None,
    deadline=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)
@given(data=st.data())
async def test_no_route_answers_a_server_error(target: Target, data: st.DataObject) -> None:
    server_errors: list[str] = []
    known = await target.known()
    for operation in target.operations:
        request = data.draw(requests(operation, known), label=str(operation))
        headers: dict[str, str | bytes] = dict(request.kwargs.get("headers", {}))
        auth = data.draw(_AUTH, label="auth")
        if auth == "admin":
            # A fresh login token each time: logout and logout-all revoke the one they are sent.
            headers["Authorization"] = f"Bearer {target.jwt.issue(str(target.admin_id)).token}"
        elif auth == "garbage":
            garbage = data.draw(st.sampled_from(HOSTILE_STRINGS[:6]))
            # As bytes, the way a raw client sends them (httpx refuses non-ASCII text).
            headers["Authorization"] = f"Bearer {garbage}".encode()
        if data.draw(st.integers(0, 5), label="cookie") == 0:
            # A browser session cookie the server did not sign: payload.signature.
            forged = data.draw(st.sampled_from(HOSTILE_STRINGS), label="forged cookie")
            headers["Cookie"] = f"{target.cookie}=e30.{forged[:100]}".encode()
        kwargs = {**request.kwargs, "headers": headers}
        try:
            response = await target.client.http.request(request.method, request.url, **kwargs)
        except Exception as error:  # an exception escaping the app is a 500 to a real client
            server_errors.append(f"{operation}: raised {error!r} for {request}")
            continue
        if response.status_code >= 500:
            server_errors.append(
                f"{operation}: {response.status_code} {response.text[:300]} for {request}"
            )
    assert not server_errors, "\n".join(server_errors)


def test_every_route_is_fuzzed_and_every_form_is_a_route(target: Target) -> None:
    """The walk covers the app's API routes; the form table names only routes that exist."""
    walked = {(operation.method, operation.path) for operation in target.operations}
    assert len(walked) >= 50
    assert set(FORM_FIELDS) <= walked
    bodies = [op for op in target.operations if op.body is not None or op.form]
    assert len(bodies) >= 20
