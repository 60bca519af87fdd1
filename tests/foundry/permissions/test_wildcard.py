"""Wildcard permissions: the matching rules, malformed patterns refused, users holding patterns."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from foundry.kernel.application import Application
from foundry.permissions import Permission, PermissionDoesNotExist, Role, WildcardPermissionInvalid
from foundry.permissions.wildcard import implies, parse
from foundry.testing.database import refresh_database
from tests.conftest import MakeApplication
from tests.foundry.testbench.factories import UserFactory
from tests.foundry.testbench.models import User


@pytest.mark.parametrize(
    ("held", "wanted", "granted"),
    [
        ("articles.*", "articles.edit", True),
        ("articles.*", "articles.edit.own", True),
        ("articles", "articles.edit", True),
        ("articles.edit,delete", "articles.delete", True),
        ("articles.edit,delete", "articles.publish", False),
        ("articles.edit,delete", "articles.edit,delete", True),
        ("articles.edit", "articles.edit,delete", False),
        ("*", "anything.at.all", True),
        ("*.view", "users.view", True),
        ("*.view", "users.edit", False),
        ("articles.edit.*", "articles.edit", True),
        ("articles.edit.own", "articles.edit", False),
        ("users.*", "articles.edit", False),
    ],
)
def test_matching(held: str, wanted: str, granted: bool) -> None:
    assert implies(held, wanted) is granted


@pytest.mark.parametrize(
    "pattern",
    ["", " ", "articles.", ".edit", "articles..edit", "articles.edit,", "art*", "a.*b", "a,,b"],
)
def test_malformed_patterns_are_refused(pattern: str) -> None:
    with pytest.raises(WildcardPermissionInvalid):
        parse(pattern)


@pytest.fixture
async def wild(make_application: MakeApplication, database_url: str) -> AsyncIterator[Application]:
    application = make_application(DATABASE_URL=database_url, PERMISSION_WILDCARD="true")
    async with refresh_database(application):
        yield application


async def test_users_holding_patterns(wild: Application) -> None:
    async with wild.container.scope() as scope:
        session = scope.make(AsyncSession)
        for name in ("articles.*", "users.view,edit", "articles.edit"):
            await Permission.create(session, name=name)
        role = await Role.create(session, name="editor")
        await role.give_permission_to("articles.*", session=session)
        user: User = await UserFactory.new().create(session)
        await user.assign_role("editor", session=session)
        await user.give_permission_to("users.view,edit", session=session)
        await session.commit()

        assert role.has_permission_to("articles.publish")
        assert user.has_permission_to("articles.edit")
        assert user.has_permission_to("articles.anything")  # need not exist as a permission
        assert user.has_permission_to("users.edit") and user.can("users.view")
        assert not user.has_permission_to("users.delete")
        assert not user.can("settings.edit")
        with pytest.raises(WildcardPermissionInvalid):
            user.has_permission_to("articles..edit")


async def test_malformed_permissions_are_not_created(wild: Application) -> None:
    async with wild.container.scope() as scope:
        session = scope.make(AsyncSession)
        with pytest.raises(WildcardPermissionInvalid):
            await Permission.create(session, name="articles.*edit")
        with pytest.raises(PermissionDoesNotExist):
            await Permission.find_by_name(session, "articles.*edit")
