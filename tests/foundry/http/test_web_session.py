"""The signed browser-session cookie of the OAuth2 pages."""

from __future__ import annotations

import base64
import json
import time

from starlette.requests import Request
from starlette.responses import Response

from foundry.http.web_session import SessionCookies

KEY = b"k" * 32


def request_with(cookie: str) -> Request:
    return Request({"type": "http", "headers": [(b"cookie", cookie.encode())]})


def written(cookies: SessionCookies, user_id: int | None) -> tuple[str, str]:
    response = Response()
    session = cookies.start(user_id)
    cookies.write(response, session)
    header = response.headers["set-cookie"]
    return header, header.split(";", 1)[0]


def test_round_trip_and_flags() -> None:
    cookies = SessionCookies(KEY, name="s", ttl=60, secure=True)
    header, pair = written(cookies, 7)
    assert "HttpOnly" in header and "Secure" in header and "SameSite=lax" in header
    session = cookies.read(request_with(pair))
    assert session is not None and session.user_id == 7
    assert session.csrf_matches(session.csrf) and not session.csrf_matches("x")


def test_tampering_another_key_and_expiry_are_refused() -> None:
    cookies = SessionCookies(KEY, name="s", ttl=60, secure=False)
    _, pair = written(cookies, 7)
    name, value = pair.split("=", 1)
    payload, signature = value.rsplit(".", 1)
    assert cookies.read(request_with(f"{name}={payload}x.{signature}")) is None
    other = SessionCookies(b"o" * 32, name="s", ttl=60, secure=False)
    assert other.read(request_with(pair)) is None
    expired = SessionCookies(KEY, name="s", ttl=-1, secure=False)
    _, old = written(expired, 7)
    assert cookies.read(request_with(old)) is None


def test_a_session_knows_when_it_started_and_a_cookie_without_it_is_refused() -> None:
    cookies = SessionCookies(KEY, name="s", ttl=60, secure=False)
    before = int(time.time() * 1000)
    _, pair = written(cookies, 7)
    session = cookies.read(request_with(pair))
    assert session is not None and before <= session.issued_at <= int(time.time() * 1000)

    # The format before sessions could be ended: no "iat", correctly signed.
    name, value = pair.split("=", 1)
    payload = json.loads(base64.urlsafe_b64decode(value.rsplit(".", 1)[0] + "=="))
    del payload["iat"]
    encoded = base64.urlsafe_b64encode(json.dumps(payload).encode()).rstrip(b"=").decode()
    old = f"{name}={encoded}.{cookies._sign(encoded)}"
    assert cookies.read(request_with(old)) is None
