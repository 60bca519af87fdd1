"""The README's quick start, step by step, in a copy of the project: a ``Post`` resource built with
``make:model --all``, migrated, validated, authorized by its policy and served, as a new user
following the README gets it. The copy's own test (written below, as a user would) makes the
requests; it runs on SQLite with the copy's fixtures."""

from __future__ import annotations

import sys
from pathlib import Path

from tests.support.nested_pytest import UNUSED_PLUGINS
from tests.support.project_copy import copy_project, run_in_copy

MODEL_COLUMNS = """    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str | None] = mapped_column(Text, default=None)
"""

POSTS_TEST = '''"""The Post resource of the README's quick start."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from database.factories import UserFactory
from foundry.testing import TestClient


async def test_the_post_resource(client: TestClient, session: AsyncSession) -> None:
    owner = await UserFactory.new().create(session, email="admin@example.com")
    other = await UserFactory.new().create(session, email="other@example.com")
    await session.commit()

    (await client.get("/api/v1/posts")).assert_status(401)
    invalid = await client.acting_as(other).post("/api/v1/posts", json={"body": 3})
    invalid.assert_status(422).assert_json_path("errors.title.0", "The title field is required.")
    assert "body" in invalid.json()["errors"]

    created = await client.acting_as(owner).post(
        "/api/v1/posts", json={"title": "Hello", "body": "World"}
    )
    created.assert_status(201).assert_json_path("data.title", "Hello")
    post_id = created.json()["data"]["id"]

    listing = await client.acting_as(other).get("/api/v1/posts?sort=-created_at")
    listing.assert_ok().assert_json_path("data.0.id", post_id)
    (await client.acting_as(other).get("/api/v1/posts/999")).assert_status(404)
    (await client.acting_as(other).get("/api/v1/posts/99999999999")).assert_status(422)

    url = f"/api/v1/posts/{post_id}"
    null_title = await client.acting_as(owner).patch(url, json={"title": None})
    null_title.assert_status(422).assert_json_path(
        "errors.title.0", "The title field must be a string."
    )
    cleared = await client.acting_as(owner).patch(url, json={"body": None})
    cleared.assert_ok().assert_json_path("data.body", None).assert_json_path("data.title", "Hello")
    refused = await client.acting_as(other).patch(url, json={"title": "Mine"})
    refused.assert_status(403)
    (await client.acting_as(other).delete(url)).assert_status(403)
    (await client.acting_as(owner).delete(url)).assert_status(204)
    (await client.acting_as(owner).get(url)).assert_status(404)
'''


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"{path}: the README's step expects {old!r}"
    path.write_text(text.replace(old, new, 1))


def _artisan(root: Path, *args: str) -> str:
    result = run_in_copy(root, sys.executable, "-m", "foundry.console", *args)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def test_the_quick_start_builds_a_working_post_resource(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "project")

    # 1. Generate everything.
    _artisan(root, "make:model", "Post", "--all")
    # 2. Columns, fillable; migrate, autogenerate the columns' migration, migrate again.
    model = root / "app/models/post.py"
    _edit(model, "from sqlalchemy.orm", "from sqlalchemy import String, Text\nfrom sqlalchemy.orm")
    _edit(model, "fillable = frozenset[str]()", 'fillable = frozenset({"title", "body"})')
    _edit(model, "    id: Mapped[int] = mapped_column(primary_key=True)\n", MODEL_COLUMNS)
    _artisan(root, "migrate")
    _artisan(root, "make:migration", "--autogenerate", "add title and body to posts")
    _artisan(root, "migrate")
    # 3. The input.
    store = root / "app/http/requests/store_post_request.py"
    _edit(
        store,
        "    async def authorize",
        "    title: str\n    body: str | None = None\n\n" "    async def authorize",
    )
    update = root / "app/http/requests/update_post_request.py"
    _edit(
        update,
        "    # title: Sometimes[str]\n",
        "    title: Sometimes[str]\n    body: Nullable[str]\n",
    )
    _edit(update, "BaseRule, Sometimes", "BaseRule, Nullable, Sometimes")
    # 4. The policy's rules, registered.
    policy = root / "app/policies/post_policy.py"
    # view_any, view and create: anyone signed in; update and delete: the admin only.
    text = policy.read_text().replace("return False", "return True", 3)
    policy.write_text(text.replace("return False", 'return user.email == "admin@example.com"', 2))
    provider = root / "app/providers/auth_service_provider.py"
    _edit(
        provider,
        "from foundry.permissions",
        "from app.models.post import Post\nfrom app.policies.post_policy import PostPolicy\n"
        "from foundry.permissions",
    )
    _edit(provider, "    policies = {}", "    policies = {Post: PostPolicy}")
    # 5. The routes.
    api = root / "routes/api.py"
    _edit(api, "import user_controller", "import post_controller, user_controller")
    _edit(
        api,
        "    api.include(user_controller.router)  # /api/v1/users\n",
        "    api.include(user_controller.router)  # /api/v1/users\n"
        "    api.include(post_controller.router)  # /api/v1/posts\n",
    )
    routes = _artisan(root, "route:list")
    assert "posts.index" in routes and "policy:view_any Post" in routes

    (root / "tests/feature").mkdir(parents=True, exist_ok=True)
    (root / "tests/feature/__init__.py").touch()
    (root / "tests/feature/test_posts.py").write_text(POSTS_TEST)
    run = run_in_copy(
        root,
        sys.executable,
        "-m",
        "pytest",
        "-q",
        "-p",
        "no:randomly",
        *UNUSED_PLUGINS,
        "tests/feature/test_posts.py",
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "1 passed" in run.stdout
