"""Issuing and verifying access tokens: claims, rotation, and every kind of bad token refused."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from joserfc import jwt
from joserfc.jwk import RSAKey

from foundry.auth.jwt import InvalidTokenError, JwtService, KeyStore
from foundry.kernel.application import Application
from tests.foundry.auth.test_jwt_helpers import b64, hs256, jwt_env, unsigned

MakeApplication = Callable[..., Application]


@pytest.fixture
def service(make_application: MakeApplication, tmp_path: Path) -> JwtService:
    app = make_application(**jwt_env(tmp_path / "keys", JWT_ACCESS_TTL="600", JWT_LEEWAY="5"))
    return app.container.make(JwtService)


def _claims(service: JwtService, **changes: Any) -> dict[str, Any]:
    now = int(time.time())
    claims: dict[str, Any] = {
        "iss": service.settings.issuer,
        "aud": service.settings.audience,
        "sub": "42",
        "iat": now,
        "nbf": now,
        "exp": now + 60,
        "jti": "abc",
    }
    claims.update(changes)
    return {k: v for k, v in claims.items() if v is not None}


def _signed(service: JwtService, key: RSAKey | None = None, **changes: Any) -> str:
    key = key or service.keys.signing_key
    header = {"alg": "RS256", "kid": service.keys.current_kid}
    return jwt.encode(header, _claims(service, **changes), key, algorithms=["RS256"])


def test_round_trip_carries_every_registered_claim(service: JwtService) -> None:
    before = int(time.time())
    issued = service.issue("42", claims={"scope": "read write", "sid": 7})

    claims = service.decode(issued.token)

    assert claims.subject == "42" and claims.jti == issued.jti and len(issued.jti) >= 20
    assert claims.issuer == "http://127.0.0.1:8000" and claims.audience == "foundry"
    assert claims.key_id == service.keys.current_kid
    assert claims.expires_at == issued.expires_at
    assert issued.expires_in == 600
    assert (claims.expires_at - claims.issued_at).total_seconds() == 600
    assert claims.not_before == claims.issued_at >= datetime.fromtimestamp(before, UTC)
    assert claims.get("scope") == "read write" and claims.get("sid") == 7
    header = jwt.decode(issued.token, service.keys.signing_key).header
    assert header == {"alg": "RS256", "typ": "at+jwt", "kid": service.keys.current_kid}
    assert "token" not in repr(issued).replace("IssuedToken", "")


def test_each_token_gets_its_own_jti(service: JwtService) -> None:
    assert len({service.issue("1").jti for _ in range(20)}) == 20


def test_issue_refuses_reserved_claims_and_long_lifetimes(service: JwtService) -> None:
    with pytest.raises(ValueError, match="reserved"):
        service.issue("1", claims={"sub": "2"})
    with pytest.raises(ValueError, match="ttl"):
        service.issue("1", ttl=601)
    with pytest.raises(ValueError, match="ttl"):
        service.issue("1", ttl=0)
    assert service.issue("1", ttl=60).expires_in == 60


def test_rotation_keeps_old_tokens_valid_and_signs_with_the_new_key(service: JwtService) -> None:
    old_kid = service.keys.current_kid
    old_token = service.issue("1").token

    new_kid = service.keys.rotate(retain_for=605)
    new_token = service.issue("1").token

    assert new_kid != old_kid
    assert service.decode(old_token).key_id == old_kid
    assert service.decode(new_token).key_id == new_kid
    assert {k["kid"] for k in service.jwks()["keys"]} == {old_kid, new_kid}

    # Once every token of the old key has expired, the key is gone and so are its tokens.
    later = time.time() + 606
    service.clock = service.keys.clock = lambda: later
    assert service.keys.prune() == [old_kid]
    with pytest.raises(InvalidTokenError):
        service.decode(old_token)
    assert [k["kid"] for k in service.jwks()["keys"]] == [new_kid]


def test_jwks_publishes_public_keys_only(service: JwtService) -> None:
    (key,) = service.jwks()["keys"]

    assert key["kty"] == "RSA" and key["use"] == "sig" and key["alg"] == "RS256"
    assert key["kid"] == service.keys.current_kid
    assert set(key) == {"kty", "n", "e", "kid", "use", "alg"}


def _reason(service: JwtService, token: str) -> str:
    with pytest.raises(InvalidTokenError) as caught:
        service.decode(token)
    error = caught.value
    assert error.status_code == 401 and error.error == "invalid_token"
    assert token not in error.message or not token
    return error.reason


def test_alg_none_is_refused(service: JwtService) -> None:
    kid = service.keys.current_kid
    for alg in ("none", "None", "NONE"):
        assert _reason(service, unsigned({"alg": alg, "kid": kid}, _claims(service))) == (
            "algorithm not allowed"
        )


def test_hs256_signed_with_the_public_key_is_refused(service: JwtService) -> None:
    kid = service.keys.current_kid
    public_pem = service.keys.signing_key.as_pem(private=False)
    token = hs256({"alg": "HS256", "kid": kid, "typ": "JWT"}, _claims(service), public_pem)

    assert _reason(service, token) == "algorithm not allowed"
    # Lying about the algorithm in the header does not help either.
    relabelled = hs256({"alg": "RS256", "kid": kid}, _claims(service), public_pem)
    assert _reason(service, relabelled) == "bad signature"


def test_tampered_payload_is_refused(service: JwtService) -> None:
    header, _, signature = service.issue("42").token.split(".")
    forged = f"{header}.{b64(_claims(service, sub='1'))}.{signature}"

    assert _reason(service, forged) == "bad signature"


def test_a_signature_by_another_key_is_refused(service: JwtService) -> None:
    other = RSAKey.generate_key(2048)

    assert _reason(service, _signed(service, key=other)) == "bad signature"


def test_unknown_kid_is_refused(service: JwtService) -> None:
    other = RSAKey.generate_key(2048)
    token = jwt.encode(
        {"alg": "RS256", "kid": other.thumbprint()}, _claims(service), other, algorithms=["RS256"]
    )
    no_kid = jwt.encode({"alg": "RS256"}, _claims(service), other, algorithms=["RS256"])

    assert _reason(service, token) == "unknown key"
    assert _reason(service, no_kid) == "unknown key"


def test_expired_token_is_refused_after_the_leeway(service: JwtService) -> None:
    issued = service.issue("42", ttl=10)
    start = time.time()

    service.clock = lambda: start + 10 + 4  # within the 5 s leeway
    assert service.decode(issued.token).subject == "42"
    service.clock = lambda: start + 10 + 6
    assert _reason(service, issued.token) == "expired"


def test_token_not_yet_valid_is_refused(service: JwtService) -> None:
    now = int(time.time())
    token = _signed(service, nbf=now + 3600, iat=now, exp=now + 7200)

    assert _reason(service, token) == "not yet valid"


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"aud": "someone-else"}, "invalid aud"),
        ({"iss": "https://evil.example"}, "invalid iss"),
        ({"jti": None}, "missing claim"),
        ({"exp": None}, "missing claim"),
        ({"sub": 42}, "invalid sub"),
    ],
)
def test_wrong_or_missing_claims_are_refused(
    service: JwtService, changes: dict[str, Any], reason: str
) -> None:
    assert _reason(service, _signed(service, **changes)) == reason


@pytest.mark.parametrize(
    "garbage",
    ["", "abc", "a.b.c", "a.b", "....", "!!!.@@@.###", b64(b"[1]") + ".e30.", "x" * 10_000],
)
def test_garbage_is_refused_as_malformed_or_wrong(service: JwtService, garbage: str) -> None:
    assert _reason(service, garbage) in {"malformed", "algorithm not allowed"}


def test_a_store_without_keys_cannot_sign(tmp_path: Path, service: JwtService) -> None:
    bare = JwtService(service.settings, KeyStore(tmp_path / "none"), service.denylist)

    with pytest.raises(RuntimeError, match="not loaded"):
        bare.issue("1")
