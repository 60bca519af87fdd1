"""Redirect URI registration and matching rules."""

from __future__ import annotations

import pytest

from foundry.oauth2.redirects import (
    is_plain_http_remote,
    is_valid_redirect_uri,
    matches_registered,
)

REGISTERED = ["https://app.example.com/cb", "http://127.0.0.1/cb", "http://[::1]:8000/cb"]


@pytest.mark.parametrize(
    ("presented", "ok"),
    [
        ("https://app.example.com/cb", True),
        ("https://app.example.com/cb/", False),
        ("https://app.example.com/CB", False),
        ("https://app.example.com:443/cb", False),
        ("https://app.example.com/cb?x=1", False),
        ("http://app.example.com/cb", False),
        ("http://127.0.0.1:51234/cb", True),
        ("http://127.0.0.1/cb", True),
        ("http://127.0.0.1:51234/cb/..", False),
        ("http://user@127.0.0.1:5000/cb", False),
        ("https://127.0.0.1:5000/cb", False),
        ("http://[::1]:9999/cb", True),
        ("http://localhost:5000/cb", False),
        ("http://127.0.0.1:notaport/cb", False),
    ],
)
def test_matching(presented: str, ok: bool) -> None:
    assert matches_registered(presented, REGISTERED) is ok


@pytest.mark.parametrize(
    ("uri", "ok"),
    [
        ("https://app.example.com/cb", True),
        ("http://127.0.0.1/cb", True),
        ("https://app.example.com/cb#x", False),
        ("https://u:p@app.example.com/cb", False),
        ("/relative", False),
        ("javascript:alert(1)", False),
        ("https://app.example.com/c b", False),
    ],
)
def test_registration(uri: str, ok: bool) -> None:
    assert is_valid_redirect_uri(uri) is ok


@pytest.mark.parametrize(
    ("uri", "plain_remote"),
    [
        ("https://app.example.com/cb", False),
        ("http://app.example.com/cb", True),
        ("http://10.0.0.8/cb", True),
        ("http://127.0.0.1:8080/cb", False),
        ("http://127.5.0.1/cb", False),
        ("http://[::1]:8000/cb", False),
        ("http://localhost:5173/cb", False),
    ],
)
def test_plain_http_is_only_for_loopback(uri: str, plain_remote: bool) -> None:
    assert is_plain_http_remote(uri) is plain_remote
