"""Reading and checking what a browser's ``navigator.credentials`` answered, with py_webauthn.

Everything that can be wrong with the input becomes one of our 4xx errors: a body that is not a
credential is a 422 naming the ``credential`` field; a well-formed answer that does not verify is
a 400 saying why. Nothing the client sends reaches a 500.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from webauthn import verify_authentication_response, verify_registration_response
from webauthn.authentication.verify_authentication_response import VerifiedAuthentication
from webauthn.helpers import base64url_to_bytes, options_to_json, parse_client_data_json
from webauthn.helpers.exceptions import WebAuthnException
from webauthn.helpers.parse_authentication_credential_json import (
    parse_authentication_credential_json,
)
from webauthn.helpers.parse_registration_credential_json import (
    parse_registration_credential_json,
)
from webauthn.helpers.structs import (
    AuthenticationCredential,
    AuthenticatorTransport,
    CollectedClientData,
    PublicKeyCredentialDescriptor,
    RegistrationCredential,
)
from webauthn.registration.verify_registration_response import VerifiedRegistration

from foundry.kernel.errors import ValidationError
from foundry.mfa.models.webauthn_credential import WebAuthnCredential
from foundry.mfa.webauthn.errors import PasskeyRejectedError, WrongOriginError
from foundry.mfa.webauthn.relying_party import RelyingParty

__all__ = [
    "check_origin",
    "client_data",
    "descriptors",
    "options_json",
    "parse_assertion",
    "parse_attestation",
    "verify_assertion",
    "verify_attestation",
]

#: What malformed input raises inside py_webauthn besides its own exceptions (bad base64,
#: bad CBOR, wrong JSON types).
_MALFORMED = (WebAuthnException, ValueError, TypeError, KeyError, IndexError, AttributeError)


def _malformed(reason: str) -> ValidationError:
    return ValidationError(
        {"credential": [f"The credential is not a valid passkey answer: {reason}"]}
    )


def parse_attestation(credential: Mapping[str, Any]) -> RegistrationCredential:
    """The ``navigator.credentials.create()`` answer (its JSON form); 422 when malformed."""
    try:
        return parse_registration_credential_json(dict(credential))
    except _MALFORMED as exc:
        raise _malformed(str(exc)) from None


def parse_assertion(credential: Mapping[str, Any]) -> AuthenticationCredential:
    """The ``navigator.credentials.get()`` answer (its JSON form); 422 when malformed."""
    try:
        return parse_authentication_credential_json(dict(credential))
    except _MALFORMED as exc:
        raise _malformed(str(exc)) from None


def client_data(client_data_json: bytes) -> CollectedClientData:
    """The browser's ``clientDataJSON``: the challenge, the origin and the ceremony's type."""
    try:
        return parse_client_data_json(client_data_json)
    except _MALFORMED as exc:
        raise _malformed(str(exc)) from None


def check_origin(data: CollectedClientData, rp: RelyingParty) -> None:
    """400 unless the ceremony ran on one of the relying party's origins.

    py_webauthn checks it too; checking first gives the one refusal users can act on (a
    misconfigured ``WEBAUTHN_ORIGINS``, a phishing page) its own error code.
    """
    if data.origin not in rp.origins:
        raise WrongOriginError(
            f"The passkey was used on {data.origin!r}, which is not an origin of this site "
            f"(allowed: {', '.join(rp.origins)})."
        )


def verify_attestation(
    credential: RegistrationCredential, challenge: bytes, rp: RelyingParty
) -> VerifiedRegistration:
    """The new passkey's id, public key and counter; 400 if the answer does not verify."""
    try:
        return verify_registration_response(
            credential=credential,
            expected_challenge=challenge,
            expected_rp_id=rp.id,
            expected_origin=list(rp.origins),
        )
    except _MALFORMED as exc:
        raise PasskeyRejectedError(f"The passkey could not be registered: {exc}") from None


def verify_assertion(
    credential: AuthenticationCredential,
    challenge: bytes,
    rp: RelyingParty,
    public_key: bytes,
    *,
    require_user_verification: bool,
) -> VerifiedAuthentication:
    """The checked assertion (its new counter); 400 if it does not verify.

    The counter is compared by the caller, after the signature is known good: the library is
    given 0 as the stored count so that a copied passkey gets its own error, not a generic one.
    """
    try:
        return verify_authentication_response(
            credential=credential,
            expected_challenge=challenge,
            expected_rp_id=rp.id,
            expected_origin=list(rp.origins),
            credential_public_key=public_key,
            credential_current_sign_count=0,
            require_user_verification=require_user_verification,
        )
    except _MALFORMED as exc:
        raise PasskeyRejectedError(f"The passkey could not be verified: {exc}") from None


def options_json(options: Any) -> dict[str, Any]:
    """Creation or request options as the JSON the browser's ``parse...OptionsFromJSON`` reads."""
    return dict(json.loads(options_to_json(options)))


def descriptors(passkeys: Sequence[WebAuthnCredential]) -> list[PublicKeyCredentialDescriptor]:
    """The passkeys as the ``excludeCredentials`` / ``allowCredentials`` of options."""
    known = {t.value for t in AuthenticatorTransport}
    return [
        PublicKeyCredentialDescriptor(
            id=base64url_to_bytes(passkey.credential_id),
            transports=[AuthenticatorTransport(t) for t in passkey.transports if t in known]
            or None,
        )
        for passkey in passkeys
    ]
