from __future__ import annotations

import pytest

from foundry.kernel.signed_urls import UrlSigner

KEY = b"k" * 32


def test_a_signed_url_verifies_and_any_change_breaks_it() -> None:
    signer = UrlSigner(KEY)
    url = signer.sign("https://app.test/api/v1/auth/email/verify/1/abc?lang=en")
    assert signer.verify(url)
    assert not signer.verify(url.replace("/1/", "/2/"))
    assert not signer.verify(url.replace("lang=en", "lang=fr"))
    assert not signer.verify(url + "&admin=1")
    assert not signer.verify(url.split("&signature=")[0])


def test_expiry_is_signed_and_enforced() -> None:
    signer = UrlSigner(KEY)
    url = signer.sign("https://app.test/verify", expires_in=60, now=1_000)
    assert signer.verify(url, now=1_060)
    assert not signer.verify(url, now=1_061)
    assert not signer.verify(url.replace("expires=1060", "expires=9999999999"), now=1_000)


def test_another_key_rejects_and_duplicates_are_refused() -> None:
    url = UrlSigner(KEY).sign("https://app.test/verify")
    assert not UrlSigner(b"x" * 32).verify(url)
    assert not UrlSigner(KEY).verify(url + "&signature=" + "0" * 64)
    with pytest.raises(ValueError, match="already carries"):
        UrlSigner(KEY).sign(url)
