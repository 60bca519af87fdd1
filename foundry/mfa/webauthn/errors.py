"""Why a passkey ceremony was refused: each a 4xx with its own ``error`` code."""

from __future__ import annotations

from foundry.kernel.errors import AuthenticationError, BadRequestError, ConflictError

__all__ = [
    "ChallengeNotValidError",
    "ClonedAuthenticatorError",
    "PasskeyAlreadyRegisteredError",
    "PasskeyRejectedError",
    "UnknownPasskeyError",
    "WrongOriginError",
]


class ChallengeNotValidError(BadRequestError):
    """400: the answer's challenge was never issued for this, expired or was used already."""

    error = "invalid_challenge"
    default_message = (
        "The passkey challenge is unknown, expired or already used: ask for new options."
    )


class WrongOriginError(BadRequestError):
    """400: the browser ran the ceremony on a page of another origin."""

    error = "invalid_origin"
    default_message = "The passkey was used on a page this site does not accept."


class PasskeyRejectedError(BadRequestError):
    """400: the authenticator's answer does not verify (signature, RP id, flags...)."""

    error = "invalid_passkey"
    default_message = "The passkey answer could not be verified."


class PasskeyAlreadyRegisteredError(ConflictError):
    """409: this authenticator's passkey is registered already."""

    error = "passkey_exists"
    default_message = "This passkey is already registered."


class UnknownPasskeyError(AuthenticationError):
    """401: no user has registered the passkey that answered."""

    error = "unknown_passkey"
    default_message = "This passkey is not registered here."


class ClonedAuthenticatorError(AuthenticationError):
    """401: the signature counter did not increase: the passkey was probably copied."""

    error = "cloned_authenticator"
    default_message = (
        "This passkey's signature counter went backwards: it may have been cloned, so it was "
        "refused."
    )
