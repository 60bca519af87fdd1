"""Pusher's HTTP API, called by the official ``pusher`` server library and by hand."""

from __future__ import annotations

import json

import httpx
import pytest
from pusher import Pusher
from pusher.errors import PusherBadAuth, PusherBadRequest

from foundry.broadcasting.signatures import sign_api_request
from tests.foundry.broadcasting.conftest import APP_ID, KEY, SECRET, BroadcastApp
from tests.support.pusher_socket import pusher_socket


async def test_batches_and_channel_information(app: BroadcastApp) -> None:
    pusher = app.pusher()
    async with pusher_socket(app.url, KEY) as socket:
        await socket.subscribe("orders")
        await socket.subscribe("invoices")
        pusher.trigger_batch(
            [
                {"channel": "orders", "name": "Created", "data": {"id": 1}},
                {"channel": "invoices", "name": "Paid", "data": {"id": 2}},
            ]
        )
        assert (await socket.next("Created"))["data"] == {"id": 1}
        assert (await socket.next("Paid"))["data"] == {"id": 2}

        assert pusher.channel_info("orders", ["subscription_count"]) == {
            "occupied": True,
            "subscription_count": 1,
        }
        assert pusher.channel_info("empty") == {"occupied": False}
        channels = pusher.channels_info(prefix_filter="ord")
        assert channels == {"channels": {"orders": {}}}
        answer = pusher.trigger("orders", "Seen", {"x": 1})
        assert answer == {}


def test_unsigned_wrong_or_stale_calls_are_refused(app: BroadcastApp) -> None:
    host, port = app.url.removeprefix("http://").split(":")
    wrong = Pusher(app_id=APP_ID, key=KEY, secret="guess", ssl=False, host=host, port=int(port))
    with pytest.raises(PusherBadAuth):
        wrong.trigger("orders", "Forged", {})
    path = f"/apps/{APP_ID}/events"
    body = json.dumps({"name": "E", "channels": ["a"], "data": "{}"}).encode()
    unsigned = httpx.post(app.url + path, content=body)
    assert unsigned.status_code == 401 and unsigned.json()["error"] == "unauthenticated"
    stale = sign_api_request(KEY, SECRET, "POST", path, body=body, now=1_000_000)
    assert httpx.post(app.url + path, params=stale, content=body).status_code == 401
    tampered = sign_api_request(KEY, SECRET, "POST", path, body=body)
    assert httpx.post(app.url + path, params=tampered, content=body + b" ").status_code == 401
    other_app = sign_api_request(KEY, SECRET, "POST", "/apps/999/events", body=body)
    assert (
        httpx.post(app.url + "/apps/999/events", params=other_app, content=body).status_code == 404
    )


@pytest.mark.parametrize(
    "body",
    [
        b"not json",
        b"[]",
        json.dumps({"name": "E", "channels": [], "data": "{}"}).encode(),
        json.dumps({"name": "E", "channels": ["bad name"], "data": "{}"}).encode(),
        json.dumps({"name": "E", "channels": ["a"], "data": {"not": "a string"}}).encode(),
        json.dumps({"name": "E", "channels": ["a"] * 101, "data": "{}"}).encode(),
        json.dumps({"name": "E", "channels": ["a"], "data": "x" * 20_000}).encode(),
        json.dumps({"name": "E", "channels": ["a"], "data": "{}", "socket_id": "me"}).encode(),
    ],
)
def test_malformed_events_get_a_clear_400(app: BroadcastApp, body: bytes) -> None:
    path = f"/apps/{APP_ID}/events"
    params = sign_api_request(KEY, SECRET, "POST", path, body=body)
    answer = httpx.post(app.url + path, params=params, content=body)
    assert answer.status_code == 400, answer.text
    assert answer.json()["message"]


def test_the_library_reports_bad_requests(app: BroadcastApp) -> None:
    with pytest.raises(PusherBadRequest):
        app.pusher().users_info("not-presence")
