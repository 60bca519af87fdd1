"""Without ``OAUTH2_PASSWORD_GRANT`` the password grant is refused even for a client listing it."""

from __future__ import annotations

import httpx

from tests.foundry.feature.oauth2.conftest import PASSWORD, MakeClient
from tests.foundry.testbench.models import User


async def test_password_grant_is_off_by_default(
    http: httpx.AsyncClient, make_client: MakeClient, user: User
) -> None:
    registered = await make_client(grants=["password"])
    response = await http.post(
        "/oauth/token",
        data={"grant_type": "password", "username": "ada@example.com", "password": PASSWORD},
        auth=(registered.client_id, registered.secret or ""),
    )
    assert response.status_code == 400
    assert response.json()["error"] == "unauthorized_client"
    metadata = (await http.get("/.well-known/oauth-authorization-server")).json()
    assert "password" not in metadata["grant_types_supported"]
