"""What a receiver's ``verify_webhook_signature`` accepts and refuses."""

from __future__ import annotations

import time

from foundry.notifications.webhooks import sign_webhook, verify_webhook_signature

SECRET = "whsec_receiver"
BODY = b'{"id":"d1","event":"invoice.paid","data":{"invoice":7}}'


def test_a_fresh_signature_of_the_body_verifies() -> None:
    header = sign_webhook(SECRET, BODY)

    assert verify_webhook_signature(SECRET, header, BODY)
    assert verify_webhook_signature(SECRET, header, BODY.decode())


def test_a_tampered_body_or_another_secret_fails() -> None:
    header = sign_webhook(SECRET, BODY)

    assert not verify_webhook_signature(SECRET, header, BODY.replace(b"7", b"8"))
    assert not verify_webhook_signature("whsec_other", header, BODY)


def test_a_changed_timestamp_fails() -> None:
    # Replaying an old body with a fresh "t=" breaks the signature, which covers the timestamp.
    old = sign_webhook(SECRET, BODY, timestamp=int(time.time()) - 3600)
    digest = old.split("v1=")[1]

    assert not verify_webhook_signature(SECRET, f"t={int(time.time())},v1={digest}", BODY)


def test_an_old_or_future_timestamp_is_refused_as_a_replay() -> None:
    now = 1_800_000_000
    header = sign_webhook(SECRET, BODY, timestamp=now)

    assert verify_webhook_signature(SECRET, header, BODY, now=now + 300)
    assert not verify_webhook_signature(SECRET, header, BODY, now=now + 301)
    assert not verify_webhook_signature(SECRET, header, BODY, now=now - 301)
    assert verify_webhook_signature(SECRET, header, BODY, tolerance=3600, now=now + 3000)


def test_missing_or_malformed_headers_are_refused() -> None:
    digest = sign_webhook(SECRET, BODY).split("v1=")[1]

    for header in (None, "", "v1=" + digest, "t=abc,v1=" + digest, f"t={int(time.time())}"):
        assert not verify_webhook_signature(SECRET, header, BODY)


def test_any_of_several_signatures_may_match() -> None:
    header = sign_webhook(SECRET, BODY)

    assert verify_webhook_signature(SECRET, f"{header},v1={'0' * 64}", BODY)
    assert verify_webhook_signature(
        SECRET, f"{header.split(',')[0]},v1=bad,{header.split(',')[1]}", BODY
    )
