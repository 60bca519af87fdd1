"""The application's route files: each route in its middleware group, under a unique name that
``url_for`` finds, with its auth and requirements listed by ``route:list``."""

from __future__ import annotations

from foundry.console.commands.routes import collect_routes
from foundry.http.app import create_app
from foundry.http.urls import url_for
from foundry.kernel.application import Application


def test_the_users_listing_is_named_grouped_and_guarded(application: Application) -> None:
    app = create_app(application)

    assert url_for("users.index", absolute=False) == "/api/v1/users"
    assert url_for("users.index") == application.settings.url.rstrip("/") + "/api/v1/users"
    rows = [row for row in collect_routes(app) if row.name == "users.index"]
    assert len(rows) == 1
    assert (rows[0].method, rows[0].uri, rows[0].middleware, rows[0].auth) == (
        "GET",
        "/api/v1/users",
        "api",
        "user",
    )
    assert rows[0].requires == "permission:users.view scope:users:read"
