"""``require_role`` / ``require_permission`` / ``require_role_or_permission``, ``AuthorizedUser``,
policies through ``Gate.authorize`` in a controller, the one-query budget, and ``X-Team-ID``."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from typing import Annotated, Any

import pytest
from fastapi import APIRouter, Depends
from sqlalchemy import delete, event
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from foundry.auth.jwt import JwtService
from foundry.http.app import create_app
from foundry.http.kernel import HttpKernel
from foundry.http.permissions import (
    AuthorizedUser,
    require_permission,
    require_role,
    require_role_or_permission,
)
from foundry.kernel.application import Application
from foundry.permissions import AccessGate, Gate, Permission, Response, Role
from foundry.permissions.tables import model_has_roles
from foundry.permissions.tables.team import Team
from foundry.testing import TestClient, count_queries
from foundry.testing.database import refresh_database
from foundry.testing.response import TestResponse
from tests.conftest import MakeApplication
from tests.foundry.testbench.factories import UserFactory
from tests.foundry.testbench.models import User


@dataclass
class Article:
    author_id: int


class ArticlePolicy:
    def update(self, user: User, article: Article) -> Response:
        if article.author_id == user.id:
            return Response.allow()
        return Response.deny("You may only edit your own articles.")


router = APIRouter()


@router.get("/staff", dependencies=[Depends(require_role("admin|editor"))])
async def staff() -> dict[str, bool]:
    return {"ok": True}


@router.get("/reports")
async def reports(
    user: Annotated[User, Depends(require_permission("reports.view|reports.all"))],
) -> dict[str, str]:
    return {"user": user.email}


@router.get("/either", dependencies=[Depends(require_role_or_permission("admin|articles.edit"))])
async def either() -> dict[str, bool]:
    return {"ok": True}


@router.get("/web-only", dependencies=[Depends(require_role("admin", guard="web"))])
async def web_only() -> dict[str, bool]:
    return {"ok": True}


@router.get("/articles/{author_id}")
async def edit_article(author_id: int, user: AuthorizedUser) -> dict[str, bool]:
    Gate.authorize("update", Article(author_id))  # the request's user, from AuthorizedUser
    return {"ok": True}


@router.get("/checks")
async def ten_checks(user: AuthorizedUser) -> dict[str, list[bool]]:
    return {
        "results": [
            user.has_role("editor"),
            user.has_any_role("admin", "editor"),
            user.has_all_roles("admin", "editor"),
            user.has_permission_to("articles.edit"),
            user.check_permission_to("reports.view"),
            user.has_any_permission("reports.view", "articles.edit"),
            user.can("articles.edit"),
            user.can("reports.view"),
            Gate.allows("articles.edit"),
            Gate.allows("update", Article(user.id)),
        ]
    }


def _app(application: Application) -> TestClient:
    app = create_app(application)
    HttpKernel.of(app).include(router, group="api", prefix="/api")
    application.container.make(AccessGate).policy(Article, ArticlePolicy)
    return TestClient(app)


@dataclass
class People:
    admin: User
    editor: User
    reporter: User
    nobody: User


@pytest.fixture
async def people(application: Application, db: AsyncConnection) -> People:
    async with application.container.scope() as scope:
        session = scope.make(AsyncSession)
        for name in ("articles.edit", "reports.view"):
            await Permission.create(session, name=name)
        await Role.create(session, name="admin")
        editor_role = await Role.create(session, name="editor")
        await editor_role.give_permission_to("articles.edit", session=session)
        admin, editor, reporter, nobody = await UserFactory.new().count(4).create_many(session)
        await admin.assign_role("admin", session=session)
        await editor.assign_role("editor", session=session)
        await reporter.give_permission_to("reports.view", session=session)
        await session.commit()
    return People(admin, editor, reporter, nobody)


@pytest.fixture
async def client(application: Application, db: AsyncConnection) -> AsyncIterator[TestClient]:
    async with _app(application) as test_client:
        yield test_client


def _as(client: TestClient, application: Application, user: User) -> TestClient:
    return client.with_token(application.container.make(JwtService).issue(str(user.id)).token)


@pytest.mark.parametrize(
    ("path", "allowed"),
    [
        ("/api/staff", {"admin", "editor"}),
        ("/api/reports", {"reporter"}),
        ("/api/either", {"admin", "editor"}),
        ("/api/web-only", set()),
    ],
)
async def test_who_gets_through(
    client: TestClient, application: Application, people: People, path: str, allowed: set[str]
) -> None:
    for name in ("admin", "editor", "reporter", "nobody"):
        response = await _as(client, application, getattr(people, name)).get(path)
        assert response.status_code == (200 if name in allowed else 403), (name, response.text)


async def test_the_403_names_what_was_required(
    client: TestClient, application: Application, people: People
) -> None:
    response = await _as(client, application, people.nobody).get("/api/staff")
    response.assert_forbidden().assert_exact_json(
        {
            "message": "User does not have the right roles. Necessary roles are admin, editor.",
            "error": "missing_role",
        }
    )
    response = await _as(client, application, people.nobody).get("/api/either")
    response.assert_forbidden().assert_json({"error": "missing_role_or_permission"})
    assert "admin, articles.edit" in response.json()["message"]


async def test_guests_get_403_and_bad_tokens_401(client: TestClient, people: People) -> None:
    guest = await client.get("/api/reports")
    guest.assert_forbidden().assert_exact_json(
        {
            "message": "User is not logged in. Necessary permissions are reports.view, reports.all.",
            "error": "not_logged_in",
        }
    )
    (await client.with_token("nope").get("/api/reports")).assert_unauthorized()


async def test_policies_answer_with_their_message(
    client: TestClient, application: Application, people: People
) -> None:
    as_editor = _as(client, application, people.editor)
    (await as_editor.get(f"/api/articles/{people.editor.id}")).assert_ok()
    response = await as_editor.get(f"/api/articles/{people.admin.id}")
    response.assert_forbidden().assert_exact_json(
        {"message": "You may only edit your own articles.", "error": "forbidden"}
    )


async def test_ten_checks_cost_no_permission_query_on_a_warm_cache(
    client: TestClient, application: Application, people: People, db: AsyncConnection
) -> None:
    as_editor = _as(client, application, people.editor)
    (await as_editor.get("/api/checks")).assert_ok()  # registry and links cached from here on

    with count_queries(db) as counter:
        response = await as_editor.get("/api/checks")

    assert response.assert_ok().json()["results"] == [
        True, True, False, True, False, True, True, False, True, True,
    ]  # fmt: skip
    assert counter.count == 1, counter.describe()  # the token's user, and nothing else
    assert "users" in counter.statements[0], counter.describe()


def _permission_statements(db: AsyncConnection) -> tuple[list[str], Callable[[], None]]:
    """Statements reading roles, permissions or their links, as a ``before_cursor_execute``
    listener on the test's connection sees them; call the second item to stop listening."""
    seen: list[str] = []

    def record(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if any(table in statement for table in ("model_has_", "role_has_", "roles", "permissions")):
            seen.append(statement)

    event.listen(db.sync_connection, "before_cursor_execute", record)
    return seen, lambda: event.remove(db.sync_connection, "before_cursor_execute", record)


async def _session_user(session: AsyncSession, user: User) -> User:
    found = await session.get(User, user.id)
    assert found is not None
    return found


async def test_a_revoked_role_takes_effect_on_the_next_request(
    client: TestClient, application: Application, people: People, db: AsyncConnection
) -> None:
    as_admin = _as(client, application, people.admin)
    (await as_admin.get("/api/staff")).assert_ok()  # warms the caches
    seen, stop = _permission_statements(db)
    try:
        for _ in range(3):
            (await as_admin.get("/api/staff")).assert_ok()
    finally:
        stop()
    assert seen == []

    async with application.container.scope() as scope:
        session = scope.make(AsyncSession)
        await (await _session_user(session, people.admin)).remove_role("admin", session=session)
        # Not committed yet: requests still see the role.
        (await as_admin.get("/api/staff")).assert_ok()
        await session.commit()
    (await as_admin.get("/api/staff")).assert_forbidden().assert_json({"error": "missing_role"})


async def test_direct_permissions_and_rollbacks_reach_the_cache(
    client: TestClient, application: Application, people: People
) -> None:
    def reports(user: User) -> Awaitable[TestResponse]:
        return _as(client, application, user).get("/api/reports")

    (await reports(people.reporter)).assert_ok()
    (await reports(people.nobody)).assert_forbidden()
    async with application.container.scope() as scope:
        session = scope.make(AsyncSession)
        nobody = await _session_user(session, people.nobody)
        await nobody.give_permission_to("reports.view", session=session)
        await session.rollback()
    (await reports(people.nobody)).assert_forbidden()  # rolled back: nothing changed
    async with application.container.scope() as scope:
        session = scope.make(AsyncSession)
        reporter = await _session_user(session, people.reporter)
        await reporter.revoke_permission_to("reports.view", session=session)
        nobody = await _session_user(session, people.nobody)
        await nobody.give_permission_to("reports.view", session=session)
        await session.commit()
    (await reports(people.reporter)).assert_forbidden()
    (await reports(people.nobody)).assert_ok()


async def test_a_bulk_delete_of_links_reaches_every_cached_user(
    client: TestClient, application: Application, people: People
) -> None:
    def staff(user: User) -> Awaitable[TestResponse]:
        return _as(client, application, user).get("/api/staff")

    (await staff(people.admin)).assert_ok()
    (await staff(people.editor)).assert_ok()
    async with application.container.scope() as scope:
        session = scope.make(AsyncSession)
        await session.execute(delete(model_has_roles))  # names no holder
        await session.commit()
    (await staff(people.admin)).assert_forbidden()
    (await staff(people.editor)).assert_forbidden()


async def test_a_role_change_is_seen_by_the_next_request(
    client: TestClient, application: Application, people: People
) -> None:
    as_reporter = _as(client, application, people.reporter)
    (await as_reporter.get("/api/either")).assert_forbidden()
    async with application.container.scope() as scope:
        session = scope.make(AsyncSession)
        role = await Role.find_by_name(session, "editor")
        await role.revoke_permission_to("articles.edit", session=session)
        await session.commit()
        reporter = await session.get(User, people.reporter.id)
        assert reporter is not None
        await reporter.assign_role("editor", session=session)
        await session.commit()
    (await as_reporter.get("/api/either")).assert_forbidden()  # editors lost articles.edit
    as_editor = _as(client, application, people.editor)
    (await as_editor.get("/api/staff")).assert_ok()
    (await as_editor.get("/api/either")).assert_forbidden()


@pytest.fixture
async def teams_client(
    make_application: MakeApplication, database_url: str
) -> AsyncIterator[tuple[TestClient, Application]]:
    application = make_application(DATABASE_URL=database_url, PERMISSION_TEAMS="true")
    async with refresh_database(application):
        async with _app(application) as test_client:
            yield test_client, application


async def test_teams_come_from_the_header(teams_client: tuple[TestClient, Application]) -> None:
    client, application = teams_client
    async with application.container.scope() as scope:
        session = scope.make(AsyncSession)
        red, blue = Team(name="Red"), Team(name="Blue")
        session.add_all([red, blue])
        await Role.create(session, name="editor")
        user: User = await UserFactory.new().create(session)
        await session.flush()
        from foundry.permissions import set_permissions_team_id

        set_permissions_team_id(red.id)
        await user.assign_role("editor", session=session)
        set_permissions_team_id(None)
        await session.commit()
    as_user = _as(client, application, user)

    async def staff(team: str | None) -> TestResponse:
        headers = {} if team is None else {"X-Team-ID": team}
        return await as_user.get("/api/staff", headers=headers)

    (await staff(str(red.id))).assert_ok()
    (await staff(str(blue.id))).assert_forbidden()
    (await staff(None)).assert_forbidden()  # no team: only team-less links count
    (await staff("9999")).assert_not_found().assert_json({"error": "team_not_found"})
    (await staff("red")).assert_status(400).assert_json({"error": "invalid_team"})
    (await staff(str(red.id))).assert_ok()

    # The cached links hold every team: a role given in Blue is seen there on the next request.
    async with application.container.scope() as scope:
        session = scope.make(AsyncSession)
        member = await session.get(User, user.id)
        assert member is not None
        set_permissions_team_id(blue.id)
        await member.assign_role("editor", session=session)
        set_permissions_team_id(None)
        await session.commit()
    (await staff(str(blue.id))).assert_ok()
    (await staff(str(red.id))).assert_ok()
    (await staff(None)).assert_forbidden()
