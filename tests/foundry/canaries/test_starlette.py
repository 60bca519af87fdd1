"""Canary: ``starlette._utils.get_route_path``, which ``PrefixCheckedRoute`` matches paths with.

It must keep answering the path a route sees (the request path less the app's ``root_path``);
starlette is pinned exactly, and an upgrade that moves or changes it fails here by name.
"""

from __future__ import annotations

from starlette._utils import get_route_path

from tests.foundry.canaries.signatures import parameters


def test_starlette_get_route_path_strips_the_root_path() -> None:
    assert parameters(get_route_path) == ["scope"]
    assert get_route_path({"type": "http", "path": "/api/v1/roles", "root_path": ""}) == (
        "/api/v1/roles"
    )
    mounted = {"type": "http", "path": "/app/api/v1/roles", "root_path": "/app"}
    assert get_route_path(mounted) == "/api/v1/roles"
