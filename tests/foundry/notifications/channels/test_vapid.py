"""``artisan webpush:vapid`` and the checks on the configured VAPID pair."""

from __future__ import annotations

import pytest

from foundry.notifications.push import VapidKeys, VapidNotConfigured
from tests.conftest import MakeApplication
from tests.foundry.console.helpers import artisan


def test_the_command_prints_a_working_key_pair_for_env() -> None:
    result = artisan("webpush:vapid")

    assert result.exit_code == 0, result.output
    lines = dict(line.split("=", 1) for line in result.stdout.strip().splitlines())
    assert set(lines) == {"VAPID_PUBLIC_KEY", "VAPID_PRIVATE_KEY"}
    keys = VapidKeys(lines["VAPID_PUBLIC_KEY"], lines["VAPID_PRIVATE_KEY"], "mailto:a@b.example")
    assert keys.derived_public_key() == keys.public_key
    assert keys.authorization("https://push.example.net/x").startswith("vapid t=")


def test_an_app_with_half_a_pair_or_a_wrong_pair_refuses_to_start(
    make_application: MakeApplication,
) -> None:
    one, two = VapidKeys.generate(), VapidKeys.generate()

    with pytest.raises(VapidNotConfigured, match="VAPID_PUBLIC_KEY and VAPID_PRIVATE_KEY"):
        make_application(VAPID_PUBLIC_KEY=one.public_key)
    with pytest.raises(VapidNotConfigured, match="not the public half"):
        make_application(VAPID_PUBLIC_KEY=one.public_key, VAPID_PRIVATE_KEY=two.private_key)
    with pytest.raises(VapidNotConfigured, match="not a base64url P-256 key"):
        make_application(VAPID_PUBLIC_KEY=one.public_key, VAPID_PRIVATE_KEY="not a key!")


def test_an_app_without_vapid_keys_starts(make_application: MakeApplication) -> None:
    make_application()
