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


def test_the_second_factors_time_survives_the_cookie_and_a_step_up_keeps_the_rest() -> None:
    cookies = SessionCookies(KEY, name="s", ttl=60, secure=False)
    plain = cookies.start(7)
    assert plain.mfa_at is None and not plain.mfa_within(900, time.time())

    response = Response()
    cookies.write(response, cookies.start(7, mfa_at=1_000.9))
    read = cookies.read(request_with(response.headers["set-cookie"].split(";", 1)[0]))
    assert read is not None and read.mfa_at == 1_000  # whole seconds, never later than proved
    assert read.mfa_within(900, 1_900) and not read.mfa_within(900, 1_901)
    # A proof "from the future" (a clock that went back) proves nothing.
    assert not read.mfa_within(900, 999)

    stepped = read.with_mfa(5_000)
    assert stepped.mfa_at == 5_000
    assert (stepped.user_id, stepped.csrf, stepped.issued_at, stepped.expires_at) == (
        read.user_id,
        read.csrf,
        read.issued_at,
        read.expires_at,
    )
    # Nobody signed in: nobody proved anything.
    assert cookies.start(None, mfa_at=1_000).mfa_at is None


def test_a_cookie_with_a_malformed_mfa_time_is_refused() -> None:
    cookies = SessionCookies(KEY, name="s", ttl=60, secure=False)
    for user_id, mfa in ((7, "1000"), (7, 1.5), (None, 1000)):
        payload = {"uid": user_id, "csrf": "c", "exp": int(time.time()) + 60, "iat": 1, "mfa": mfa}
        encoded = base64.urlsafe_b64encode(json.dumps(payload).encode()).rstrip(b"=").decode()
        assert cookies.read(request_with(f"s={encoded}.{cookies._sign(encoded)}")) is None
