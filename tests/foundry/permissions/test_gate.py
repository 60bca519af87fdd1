"""The Gate: abilities, policies found by model class, hooks, responses, the permission fallback
and the super-admin ``before`` hook."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from foundry.kernel.application import Application
from foundry.kernel.errors import AuthorizationError
from foundry.permissions import AccessGate, Gate, Permission, Response, Role, set_gate_user
from tests.foundry.testbench.factories import UserFactory
from tests.foundry.testbench.models import User


@dataclass
class Article:
    author_id: int
    locked: bool = False


class DraftArticle(Article):
    pass


class ArticlePolicy:
    def before(self, user: User, ability: str) -> bool | None:
        return False if user.email.startswith("banned") else None

    def view_any(self, user: User) -> bool:
        return True

    def update(self, user: User, article: Article) -> Response:
        if article.author_id != user.id:
            return Response.deny("You do not own this article.")
        return Response.allow()

    def delete(self, user: User, article: Article) -> bool:
        return not article.locked and article.author_id == user.id


@pytest.fixture
def gate(application: Application) -> AccessGate:
    made = AccessGate()
    made.policy(Article, ArticlePolicy)
    return made


@pytest.fixture
async def user(session: AsyncSession) -> User:
    await Permission.create(session, name="reports.view")
    await Role.create(session, name="super-admin")
    made = await UserFactory.new().create(session)
    await made.load_permissions(session)
    await session.commit()
    return made


def test_abilities(gate: AccessGate, user: User) -> None:
    gate.define("edit-settings", lambda u: u.email.endswith("@example.com"))
    gate.define("publish", lambda u, article: article.author_id == u.id)

    assert gate.allows("edit-settings", user=user) is user.email.endswith("@example.com")
    mine, theirs = Article(user.id), Article(user.id + 1)
    assert gate.allows("publish", mine, user=user)
    assert gate.denies("publish", theirs, user=user)
    assert gate.any(["publish", "nothing"], mine, user=user)
    assert gate.none(["nothing", "other"], user=user)
    assert not gate.check(["publish", "nothing"], mine, user=user)
    assert gate.has("publish") and not gate.has("nothing")


def test_policies_are_found_by_model_class(gate: AccessGate, user: User) -> None:
    mine, theirs = Article(user.id), DraftArticle(user.id + 1)

    assert gate.allows("update", mine, user=user)
    assert gate.allows("view-any", Article, user=user)
    assert gate.allows("view_any", DraftArticle, user=user)
    answer = gate.inspect("update", theirs, user=user)
    assert not answer.allowed and answer.message == "You do not own this article."
    assert not gate.allows("delete", Article(user.id, locked=True), user=user)
    with pytest.raises(AuthorizationError, match="You do not own this article.") as raised:
        gate.authorize("update", theirs, user=user)
    assert raised.value.status_code == 403
    assert gate.for_user(user).authorize("update", mine).allowed


def test_policy_before_and_guests(gate: AccessGate, user: User) -> None:
    user.email = "banned@example.com"
    assert not gate.allows("update", Article(user.id), user=user)
    # A guest (no user anywhere) is denied by policies and abilities alike.
    set_gate_user(None)
    assert gate.denies("update", Article(1))
    with pytest.raises(AuthorizationError, match="This action is unauthorized."):
        gate.authorize("view_any", Article)


def test_hooks(gate: AccessGate, user: User) -> None:
    seen: list[tuple[str, bool | None]] = []
    gate.before(lambda u, ability, *args: False if ability == "blocked" else None)
    gate.define("blocked", lambda u: True)

    def record(u: User, ability: str, result: bool | None, *args: object) -> None:
        seen.append((ability, result))

    gate.after(record)
    gate.after(lambda u, ability, result, *args: True if ability == "rescued" else None)

    assert not gate.allows("blocked", user=user)
    assert gate.allows("rescued", user=user)  # undecided, then an after hook decides
    assert ("blocked", False) in seen and ("rescued", None) in seen


def test_the_gate_user_is_the_default(gate: AccessGate, user: User) -> None:
    set_gate_user(user)
    assert gate.allows("update", Article(user.id))
    set_gate_user(None)
    assert not gate.allows("update", Article(user.id))


async def test_can_falls_back_to_permissions(session: AsyncSession, user: User) -> None:
    assert not user.can("reports.view")
    await user.give_permission_to("reports.view", session=session)
    assert user.can("reports.view")
    Gate.define("reports.view", lambda u: False)  # a defined ability wins over the permission
    assert not user.can("reports.view")


async def test_a_super_admin_passes_can_but_not_has_permission_to(
    session: AsyncSession, user: User
) -> None:
    assert not user.can("reports.view")
    await user.assign_role("super-admin", session=session)

    assert user.can("reports.view") and user.can("anything-at-all")
    assert not user.has_permission_to("reports.view")
    assert Gate.allows("reports.view", user=user)
