"""``X-Socket-ID`` is what ``to_others()`` leaves out, for the request that sent it only."""

from __future__ import annotations

from starlette.types import Receive, Scope, Send

from foundry.broadcasting.events import current_socket_id
from foundry.http.middleware.socket_id import SocketIdMiddleware


async def seen_socket_id(headers: list[tuple[bytes, bytes]]) -> str | None:
    seen: list[str | None] = []

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        seen.append(current_socket_id.get())

    async def receive() -> dict[str, object]:
        return {"type": "http.request"}

    async def send(message: object) -> None:
        return None

    await SocketIdMiddleware(app)({"type": "http", "headers": headers}, receive, send)
    return seen[0]


async def test_a_valid_header_is_seen_inside_the_request_only() -> None:
    assert await seen_socket_id([(b"x-socket-id", b"123.456")]) == "123.456"
    assert current_socket_id.get() is None


async def test_a_missing_or_malformed_header_means_no_socket() -> None:
    assert await seen_socket_id([]) is None
    assert await seen_socket_id([(b"x-socket-id", b"<script>")]) is None
