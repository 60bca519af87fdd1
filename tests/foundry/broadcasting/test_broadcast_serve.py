"""``artisan broadcast:serve``: the WebSocket server alone, on ``REVERB_SERVER_PORT``."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from pusher import Pusher

from foundry.broadcasting.signatures import channel_signature
from foundry.config.base import BASE_PATH
from tests.foundry.broadcasting.conftest import APP_ID, KEY, SECRET, broadcasting_env
from tests.support.pusher_socket import pusher_socket


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``artisan broadcast:serve`` in a child process; its base URL."""
    port = _free_port()
    log = tmp_path_factory.mktemp("broadcast-serve") / "server.log"
    env = broadcasting_env(log.with_name("app.sqlite"), REVERB_SERVER_PORT=str(port))
    with log.open("w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "foundry.console", "broadcast:serve"],
            cwd=BASE_PATH,
            env={**os.environ, **env},
            stdout=out,
            stderr=subprocess.STDOUT,
            text=True,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                httpx.get(url + "/health", timeout=1).raise_for_status()
                break
            except httpx.TransportError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(f"broadcast:serve did not start:\n{log.read_text()}")
                time.sleep(0.1)
        yield url
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    assert "Broadcasting server running on [ws://127.0.0.1:" in log.read_text()


async def test_clients_subscribe_and_receive_events_from_the_http_api(served: str) -> None:
    host, port = served.removeprefix("http://").split(":")
    pusher = Pusher(app_id=APP_ID, key=KEY, secret=SECRET, ssl=False, host=host, port=int(port))
    async with pusher_socket(served, KEY) as public, pusher_socket(served, KEY) as private:
        assert public.established["event"] == "pusher:connection_established"
        answer = await public.subscribe("orders")
        assert answer["event"] == "pusher_internal:subscription_succeeded"
        signature = channel_signature(SECRET, private.socket_id, "private-users.1")
        answer = await private.subscribe("private-users.1", auth=f"{KEY}:{signature}")
        assert answer["event"] == "pusher_internal:subscription_succeeded"

        pusher.trigger(["orders", "private-users.1"], "OrderShipped", {"id": 7})

        assert (await public.next("OrderShipped"))["data"] == {"id": 7}
        assert (await private.next("OrderShipped"))["data"] == {"id": 7}


def test_only_the_broadcasting_routes_are_served(served: str) -> None:
    assert httpx.get(served + "/health").status_code == 200
    refused = httpx.post(
        served + "/broadcasting/auth", data={"socket_id": "1.2", "channel_name": "private-a"}
    )
    assert refused.status_code == 401
    assert refused.json()["error"] == "unauthenticated"
    login = {"email": "ada@example.com", "password": "secret"}
    assert httpx.post(served + "/api/v1/auth/login", json=login).status_code == 404
