"""The browser session remembers how its user signed in (``amr``), for the OAuth2 tokens it
approves; cookies written before it did still read as a password sign-in."""

from __future__ import annotations

import base64
import json
import time

from starlette.requests import Request
from starlette.responses import Response

from foundry.auth.login_claims import ACR_MFA, ACR_PWD
from foundry.http.web_session import BrowserSession, SessionCookies

KEY = b"k" * 32


def round_trip(cookies: SessionCookies, session: BrowserSession) -> BrowserSession | None:
    response = Response()
    cookies.write(response, session)
    pair = response.headers["set-cookie"].split(";", 1)[0]
    return cookies.read(Request({"type": "http", "headers": [(b"cookie", pair.encode())]}))


def signed(cookies: SessionCookies, payload: dict[str, object]) -> BrowserSession | None:
    encoded = base64.urlsafe_b64encode(json.dumps(payload).encode()).rstrip(b"=").decode()
    pair = f"s={encoded}.{cookies._sign(encoded)}"
    return cookies.read(Request({"type": "http", "headers": [(b"cookie", pair.encode())]}))


def test_a_second_factor_sign_in_keeps_its_methods_in_the_cookie() -> None:
    cookies = SessionCookies(KEY, name="s", ttl=60, secure=False)
    read = round_trip(cookies, cookies.start(7, mfa_at=1_000, amr=["pwd", "otp"]))
    assert read is not None and read.amr == ("pwd", "otp")
    claims = read.login_claims()
    assert claims == {
        "amr": ["pwd", "otp"],
        "acr": ACR_MFA,
        "auth_time": read.issued_at // 1000,
        "mfa_at": 1_000,
    }


def test_a_password_sign_in_and_a_guest() -> None:
    cookies = SessionCookies(KEY, name="s", ttl=60, secure=False)
    read = round_trip(cookies, cookies.start(7, amr=["pwd"]))
    assert read is not None
    claims = read.login_claims()
    assert claims is not None and claims["amr"] == ["pwd"] and claims["acr"] == ACR_PWD
    assert "mfa_at" not in claims
    assert cookies.start(None, amr=["pwd"]).login_claims() is None


def test_a_step_up_adds_its_method() -> None:
    cookies = SessionCookies(KEY, name="s", ttl=60, secure=False)
    stepped = cookies.start(7, amr=["pwd"]).with_mfa(5_000, "hwk")
    assert stepped.amr == ("pwd", "hwk") and stepped.mfa_at == 5_000
    claims = stepped.login_claims()
    assert claims is not None and claims["acr"] == ACR_MFA


def test_older_cookies_read_as_a_password_and_a_malformed_amr_is_refused() -> None:
    cookies = SessionCookies(KEY, name="s", ttl=60, secure=False)
    base = {"uid": 7, "csrf": "c", "exp": int(time.time()) + 60, "iat": 1_000_000, "mfa": None}
    old = signed(cookies, base)
    assert old is not None and old.amr == ()
    claims = old.login_claims()
    assert claims is not None and claims["amr"] == ["pwd"] and claims["auth_time"] == 1_000
    assert signed(cookies, {**base, "amr": "pwd"}) is None
    assert signed(cookies, {**base, "amr": ["pwd", 5]}) is None
