"""Pusher's signatures, checked against the values in Pusher's own documentation."""

from __future__ import annotations

import pytest
from pusher import Pusher

from foundry.broadcasting.signatures import (
    InvalidSignatureError,
    channel_signature,
    sign_api_request,
    verify_api_request,
)

# Pusher's channel authorization example (key 278d425bdf160c739803).
DOC_SECRET = "7ad3773142a6692b25b8"


def test_private_channel_signature_matches_pushers_example() -> None:
    assert (
        channel_signature(DOC_SECRET, "1234.1234", "private-foobar")
        == "58df8b0c36d6982b82c3ecf6b4662e34fe8c25bba48f5369f135bf843651c3a4"
    )


def test_presence_signature_matches_the_official_library() -> None:
    official = Pusher(app_id="3", key="278d425bdf160c739803", secret=DOC_SECRET)
    signed = official.authenticate(
        "presence-foobar", "1234.1234", {"user_id": 10, "user_info": {"name": "Mr. Channels"}}
    )
    ours = channel_signature(DOC_SECRET, "1234.1234", "presence-foobar", signed["channel_data"])
    assert signed["auth"] == f"278d425bdf160c739803:{ours}"
    assert ours != channel_signature(DOC_SECRET, "1234.1234", "presence-foobar")


def test_http_api_signature_matches_pushers_example() -> None:
    # Pusher's REST API authentication example.
    body = b'{"name":"foo","channels":["project-3"],"data":"{\\"some\\":\\"data\\"}"}'
    signed = sign_api_request(
        "278d425bdf160c739803", DOC_SECRET, "POST", "/apps/3/events", body=body, now=1353088179
    )
    assert signed["body_md5"] == "ec365a775a4cd0599faeb73354201b6f"
    assert (
        signed["auth_signature"]
        == "da454824c97ba181a32ccc17a72625ba02771f50b50e1e7430e47a1f3f457e6c"
    )
    verify_api_request(
        "278d425bdf160c739803", DOC_SECRET, "POST", "/apps/3/events", signed, body,
        now=1353088179 + 60,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"auth_key": "other"}, "unknown auth_key"),
        ({"auth_timestamp": "soon"}, "auth_timestamp"),
        ({"auth_timestamp": "1"}, "too far"),
        ({"auth_signature": "0" * 64}, "invalid auth_signature"),
        ({"body_md5": "0" * 32}, "body_md5"),
    ],
)
def test_verification_names_what_is_wrong(change: dict[str, str], reason: str) -> None:
    body = b"{}"
    signed = sign_api_request("k", "s", "POST", "/apps/1/events", body=body, now=1000)
    with pytest.raises(InvalidSignatureError, match=reason):
        verify_api_request("k", "s", "POST", "/apps/1/events", {**signed, **change}, body, now=1000)
