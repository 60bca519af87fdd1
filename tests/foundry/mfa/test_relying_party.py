"""Where passkeys are valid: ``WEBAUTHN_*`` settings, or ``APP_URL`` and ``APP_NAME`` when unset."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from foundry.config.app import AppSettings
from foundry.config.webauthn import WebAuthnSettings
from foundry.mfa.webauthn import RelyingParty


def _rp(app_url: str, **webauthn: str) -> RelyingParty:
    app = AppSettings.model_validate({"APP_URL": app_url, "APP_NAME": "Acme"})
    return RelyingParty.from_settings(WebAuthnSettings.model_validate(webauthn), app)


@pytest.mark.parametrize(
    ("app_url", "rp_id", "origins"),
    [
        ("https://example.com", "example.com", ("https://example.com",)),
        ("https://app.example.com:8443/base", "app.example.com", ("https://app.example.com:8443",)),
        # Browsers refuse IP addresses as RP ids but treat localhost as a secure context.
        ("http://127.0.0.1:8000", "localhost", ("http://localhost:8000",)),
        ("http://[::1]:8000", "localhost", ("http://localhost:8000",)),
        ("http://localhost", "localhost", ("http://localhost",)),
    ],
)
def test_the_app_url_gives_the_defaults(app_url: str, rp_id: str, origins: tuple[str, ...]) -> None:
    rp = _rp(app_url)
    assert (rp.id, rp.name, rp.origins) == (rp_id, "Acme", origins)


def test_settings_win_over_the_app_url() -> None:
    rp = _rp(
        "http://127.0.0.1:8000",
        WEBAUTHN_RP_ID="Example.com",
        WEBAUTHN_RP_NAME="Example",
        WEBAUTHN_ORIGINS="https://example.com/, https://app.example.com",
    )
    assert rp == RelyingParty(
        "example.com", "Example", ("https://example.com", "https://app.example.com")
    )


@pytest.mark.parametrize(
    "origins", ["example.com", "ftp://example.com", "https://example.com/login", "https://"]
)
def test_an_origin_that_is_not_one_is_refused_at_start_up(origins: str) -> None:
    with pytest.raises(ValidationError, match="WEBAUTHN_ORIGINS"):
        WebAuthnSettings.model_validate({"WEBAUTHN_ORIGINS": origins})


def test_a_challenge_lives_minutes_not_hours() -> None:
    with pytest.raises(ValidationError):
        WebAuthnSettings.model_validate({"WEBAUTHN_CHALLENGE_TTL": "3600"})
