"""The Pusher HTTP API under hostile calls: 4xx with the JSON error shape, never a 500."""

from __future__ import annotations

import httpx

from foundry.broadcasting.signatures import sign_api_request
from tests.foundry.broadcasting.conftest import APP_ID, KEY, SECRET, BroadcastApp


def test_a_timestamp_too_long_for_a_float_is_a_401(app: BroadcastApp) -> None:
    path = f"/apps/{APP_ID}/events"
    body = b'{"name": "E", "channels": ["a"], "data": "{}"}'
    params = {**sign_api_request(KEY, SECRET, "POST", path, body=body), "auth_timestamp": "9" * 400}

    answer = httpx.post(app.url + path, params=params, content=body, timeout=10)

    assert answer.status_code == 401, answer.text
    assert answer.json()["error"] == "unauthenticated"
    assert "auth_timestamp" in answer.json()["message"]


def test_a_signed_body_nested_too_deeply_is_a_400(app: BroadcastApp) -> None:
    path = f"/apps/{APP_ID}/events"
    body = b"[" * 5000 + b"]" * 5000
    params = sign_api_request(KEY, SECRET, "POST", path, body=body)

    answer = httpx.post(app.url + path, params=params, content=body, timeout=10)

    assert answer.status_code == 400, answer.text
    assert answer.json()["error"] == "invalid_json"
