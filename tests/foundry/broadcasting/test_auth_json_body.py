"""``POST /broadcasting/auth`` with a JSON body, as a custom Laravel Echo ``authorizer`` posts it."""

from __future__ import annotations

import httpx

from tests.foundry.broadcasting.conftest import BroadcastApp
from tests.foundry.broadcasting.test_protocol import channel_auth


def test_a_json_body_is_signed_like_the_form_pusher_js_sends(app: BroadcastApp) -> None:
    headers = {"Authorization": f"Bearer {app.ada}"}
    fields = {"socket_id": "123.456", "channel_name": "private-users.1"}

    as_json = httpx.post(app.url + "/broadcasting/auth", json=fields, headers=headers, timeout=10)

    assert as_json.status_code == 200, as_json.text
    as_form = channel_auth(app, app.ada, "123.456", "private-users.1")
    assert as_json.json() == as_form.json()
    refused = httpx.post(
        app.url + "/broadcasting/auth",
        json={**fields, "channel_name": "private-users.2"},
        headers=headers,
        timeout=10,
    )
    assert refused.status_code == 403


def test_a_json_body_that_is_not_an_object_is_a_422(app: BroadcastApp) -> None:
    headers = {"Authorization": f"Bearer {app.ada}", "Content-Type": "application/json"}
    for body in (b"[1, 2]", b"{not json", b"[" * 5000 + b"]" * 5000):
        answer = httpx.post(app.url + "/broadcasting/auth", content=body, headers=headers)
        assert answer.status_code == 422, answer.text
        assert set(answer.json()["errors"]) == {"socket_id", "channel_name"}
