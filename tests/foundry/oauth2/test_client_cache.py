"""The per-process client cache: expiry, eviction, off switch."""

from __future__ import annotations

from foundry.oauth2.client import OAuth2Client
from foundry.oauth2.client_cache import ClientCache


def snapshot(client_id: str = "c") -> OAuth2Client:
    return OAuth2Client(1, client_id, "C", None, (), (), (), True, False, None)


def test_entries_expire_and_can_be_forgotten() -> None:
    now = [100.0]
    cache = ClientCache(5, clock=lambda: now[0])
    cache.put(snapshot())
    assert cache.get("c") == snapshot()
    now[0] += 5
    assert cache.get("c") is None
    cache.put(snapshot())
    cache.forget("c")
    assert cache.get("c") is None


def test_a_zero_ttl_caches_nothing() -> None:
    cache = ClientCache(0)
    cache.put(snapshot())
    assert cache.get("c") is None
