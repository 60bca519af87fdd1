"""The key store: key files and their permissions, loading once, rotation and pruning."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest
from joserfc.jwk import RSAKey

from foundry.auth.jwt import KeyStore, KeyStoreError, MissingKeysError


class Clock:
    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def store(tmp_path: Path, clock: Clock) -> KeyStore:
    return KeyStore(tmp_path / "keys", clock=clock)


def test_generate_writes_a_private_key_only_its_owner_can_read(store: KeyStore) -> None:
    kid = store.generate()

    private = store.path / f"{kid}.pem"
    assert stat.S_IMODE(private.stat().st_mode) == 0o600
    assert stat.S_IMODE(store.path.stat().st_mode) == 0o700
    assert b"PRIVATE KEY" in private.read_bytes()
    # The kid is the RFC 7638 thumbprint of the public key.
    assert kid == RSAKey.import_key(private.read_bytes()).thumbprint() == store.current_kid
    assert json.loads((store.path / "keys.json").read_text()) == {"current": kid, "retired": []}


def test_an_existing_key_is_not_replaced_without_asking(store: KeyStore) -> None:
    first = store.generate()

    with pytest.raises(KeyStoreError, match="already exists"):
        store.generate()
    assert store.current_kid == first

    second = store.generate(replace=True)
    assert second != first
    assert not (store.path / f"{first}.pem").exists()
    assert [k.kid for k in store.verification_keys()] == [second]


def test_keys_are_parsed_once_and_kept_as_key_objects(store: KeyStore, tmp_path: Path) -> None:
    store.generate()
    fresh = KeyStore(store.path).load()
    assert fresh.pem_loads <= 1

    for _ in range(50):
        assert fresh.verification_key(fresh.current_kid) is not None
        assert fresh.signing_key.is_private
    assert fresh.pem_loads <= 1

    # Another application in the same process (a test, a second app) reuses the parsed key.
    again = KeyStore(store.path).load()
    assert again.pem_loads == 0 and again.signing_key is fresh.signing_key


def test_loading_without_keys_says_what_to_run(store: KeyStore) -> None:
    assert not store.exists()
    with pytest.raises(MissingKeysError, match="artisan jwt:keys"):
        store.load()
    with pytest.raises(MissingKeysError):
        store.rotate(60)


def test_rotation_keeps_the_old_public_key_until_its_tokens_expire(
    store: KeyStore, clock: Clock
) -> None:
    old = store.generate()
    new = store.rotate(retain_for=930)

    assert new != old and store.current_kid == new
    # Only the public half of the old key stays on disk.
    assert not (store.path / f"{old}.pem").exists()
    assert b"PUBLIC KEY" in (store.path / f"{old}.pub.pem").read_bytes()
    reloaded = KeyStore(store.path, clock=clock).load()
    assert [k.kid for k in reloaded.verification_keys()] == [new, old]
    old_key = reloaded.verification_key(old)
    assert old_key is not None and not old_key.is_private

    clock.now += 929
    assert reloaded.verification_key(old) is not None
    assert store.prune() == []

    clock.now += 2
    assert reloaded.verification_key(old) is None
    assert [k.kid for k in reloaded.verification_keys()] == [new]
    assert store.prune() == [old]
    assert not (store.path / f"{old}.pub.pem").exists()
    assert json.loads((store.path / "keys.json").read_text())["retired"] == []


def test_rotating_twice_keeps_both_retired_keys(store: KeyStore, clock: Clock) -> None:
    first = store.generate()
    clock.now += 10
    second = store.rotate(retain_for=100)
    clock.now += 10
    third = store.rotate(retain_for=100)

    assert [k.kid for k in store.verification_keys()] == [third, first, second]

    clock.now += 95  # the first key's time is up, the second's is not
    assert store.rotate(retain_for=100) not in (first, second, third)
    kids = {k.kid for k in store.verification_keys()}
    assert first not in kids and {second, third} <= kids
