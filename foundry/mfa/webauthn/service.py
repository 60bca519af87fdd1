"""``WebAuthnService``: registering passkeys, listing and removing them, and checking the
assertions of a second factor or a passwordless sign-in.

Each ceremony is two requests: the options (with a challenge stored server side, see
:mod:`foundry.mfa.webauthn.challenges`) and the browser's answer. The answer's challenge is
spent, and committed, before anything else is checked: a refused answer cannot be tried again.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from webauthn import generate_authentication_options, generate_registration_options
from webauthn.helpers import bytes_to_base64url
from webauthn.helpers.structs import (
    AuthenticationCredential,
    AuthenticatorSelectionCriteria,
    ResidentKeyRequirement,
    UserVerificationRequirement,
)

from foundry.auth.user import AuthUser
from foundry.auth.user_provider import UserProvider
from foundry.config.app import AppSettings
from foundry.config.webauthn import WebAuthnSettings
from foundry.database.types import utcnow
from foundry.events import EventDispatcher
from foundry.mfa.events import MfaDisabled, MfaEnrolled, MfaFailed
from foundry.mfa.factors import MfaClient
from foundry.mfa.models.webauthn_challenge import WebAuthnChallenge
from foundry.mfa.models.webauthn_credential import WebAuthnCredential
from foundry.mfa.webauthn import ceremonies
from foundry.mfa.webauthn.challenges import ChallengeStore, Purpose
from foundry.mfa.webauthn.errors import (
    ChallengeNotValidError,
    ClonedAuthenticatorError,
    PasskeyAlreadyRegisteredError,
    PasskeyRejectedError,
    UnknownPasskeyError,
)
from foundry.mfa.webauthn.relying_party import RelyingParty

__all__ = ["METHOD", "WebAuthnService", "user_handle"]

#: The factor's name in events and the audit trail.
METHOD = "webauthn"


def user_handle(user: AuthUser) -> bytes:
    """The WebAuthn user handle of ``user``: what discoverable passkeys hand back at sign-in."""
    return str(user.id).encode()


class WebAuthnService:
    """Passkeys of users, on the request's session; each public method commits its work."""

    def __init__(
        self,
        session: AsyncSession,
        settings: WebAuthnSettings,
        app: AppSettings,
        events: EventDispatcher,
        users: UserProvider,
    ) -> None:
        self.session = session
        self.users = users
        self.settings = settings
        self.rp = RelyingParty.from_settings(settings, app)
        self.events = events
        self.challenges = ChallengeStore(session, settings.challenge_ttl)

    # -- the user's passkeys ---------------------------------------------------------------------

    async def for_user(self, user: AuthUser) -> Sequence[WebAuthnCredential]:
        """The user's passkeys, oldest first."""
        found = await self.session.scalars(
            select(WebAuthnCredential)
            .where(WebAuthnCredential.user_id == user.id)
            .order_by(WebAuthnCredential.id)
        )
        return found.all()

    async def has_passkeys(self, user: AuthUser) -> bool:
        """Whether the user registered at least one passkey."""
        found = await self.session.scalars(
            select(WebAuthnCredential.id).where(WebAuthnCredential.user_id == user.id).limit(1)
        )
        return found.first() is not None

    async def find(self, user: AuthUser, passkey_id: int) -> WebAuthnCredential | None:
        """The user's passkey ``passkey_id`` (None when it is another user's or missing)."""
        found = await self.session.get(WebAuthnCredential, passkey_id)
        return found if found is not None and found.user_id == user.id else None

    async def rename(self, passkey: WebAuthnCredential, name: str) -> WebAuthnCredential:
        """Give the passkey a new name."""
        passkey.name = name
        await self.session.commit()
        return passkey

    async def remove(self, user: AuthUser, passkey: WebAuthnCredential, client: MfaClient) -> None:
        """Delete one of the user's passkeys (``MfaDisabled``, labelled with its name)."""
        await self.session.delete(passkey)
        await self.events.dispatch(MfaDisabled(user, METHOD, client, label=passkey.name))
        await self.session.commit()

    async def remove_all(self, user: AuthUser) -> int:
        """Delete every passkey of the user and their pending challenges; how many passkeys.

        For support staff's reset: the caller records that reset, so no event is dispatched.
        """
        removed = len(await self.for_user(user))
        await self.session.execute(
            delete(WebAuthnCredential).where(WebAuthnCredential.user_id == user.id)
        )
        await self.session.execute(
            delete(WebAuthnChallenge).where(WebAuthnChallenge.user_id == user.id)
        )
        await self.session.commit()
        return removed

    # -- registration ----------------------------------------------------------------------------

    async def registration_options(self, user: AuthUser) -> dict[str, Any]:
        """``PublicKeyCredentialCreationOptions`` (JSON) for a new passkey of ``user``.

        The user's passkeys are excluded, so an authenticator does not register twice.
        """
        existing = ceremonies.descriptors(await self.for_user(user))
        challenge = await self.challenges.issue("register", user.id)
        options = generate_registration_options(
            rp_id=self.rp.id,
            rp_name=self.rp.name,
            user_id=user_handle(user),
            user_name=user.email,
            user_display_name=user.name or user.email,
            challenge=challenge,
            timeout=self.settings.challenge_ttl * 1000,
            authenticator_selection=AuthenticatorSelectionCriteria(
                resident_key=ResidentKeyRequirement(self.settings.resident_key),
                user_verification=UserVerificationRequirement(self.settings.user_verification),
            ),
            exclude_credentials=existing,
        )
        await self.session.commit()
        return ceremonies.options_json(options)

    async def register(
        self, user: AuthUser, name: str, credential: Mapping[str, Any], client: MfaClient
    ) -> WebAuthnCredential:
        """Verify the browser's answer to :meth:`registration_options` and keep the passkey."""
        parsed = ceremonies.parse_attestation(credential)
        challenge = await self._spend(parsed.response.client_data_json, "register", user.id)
        verified = ceremonies.verify_attestation(parsed, challenge, self.rp)
        credential_id = bytes_to_base64url(verified.credential_id)
        if await self._by_credential_id(credential_id) is not None:
            raise PasskeyAlreadyRegisteredError()
        passkey = WebAuthnCredential(
            user_id=user.id,
            credential_id=credential_id,
            public_key=verified.credential_public_key,
            sign_count=verified.sign_count,
            transports=[t.value for t in parsed.response.transports or []],
            name=name,
        )
        self.session.add(passkey)
        try:
            await self.session.flush()
        except IntegrityError:  # the same passkey registered by a concurrent request
            await self.session.rollback()
            raise PasskeyAlreadyRegisteredError() from None
        await self.events.dispatch(MfaEnrolled(user, METHOD, client, label=name))
        await self.session.commit()
        return passkey

    # -- authentication --------------------------------------------------------------------------

    async def authentication_options(self, user: AuthUser | None) -> dict[str, Any]:
        """``PublicKeyCredentialRequestOptions`` (JSON).

        For a second factor (``user`` given) they list the user's passkeys; for passwordless
        sign-in (``None``) they list none, so the browser offers the discoverable passkeys it
        holds for this site, and user verification is required: the passkey is the only factor.
        """
        allowed = None
        verification = UserVerificationRequirement.REQUIRED
        if user is not None:
            verification = UserVerificationRequirement(self.settings.user_verification)
            allowed = ceremonies.descriptors(await self.for_user(user))
        purpose: Purpose = "login" if user is None else "authenticate"
        challenge = await self.challenges.issue(purpose, None if user is None else user.id)
        options = generate_authentication_options(
            rp_id=self.rp.id,
            challenge=challenge,
            timeout=self.settings.challenge_ttl * 1000,
            allow_credentials=allowed,
            user_verification=verification,
        )
        await self.session.commit()
        return ceremonies.options_json(options)

    async def authenticate(
        self, user: AuthUser | None, credential: Mapping[str, Any], client: MfaClient
    ) -> WebAuthnCredential:
        """Check an answer to :meth:`authentication_options` and answer the passkey used.

        For a second factor ``user`` is who must own the passkey; for passwordless sign-in
        (``None``) the passkey names its user. The counter and the last use are updated and
        committed. Passwordless, a refusal once the passkey is identified (a bad signature, a
        counter that went backwards) is audited here (``MfaFailed``); as a second factor the
        MFA flow audits the ``False`` of :meth:`PasskeyFactor.verify`.
        """
        parsed = ceremonies.parse_assertion(credential)
        purpose: Purpose = "login" if user is None else "authenticate"
        challenge = await self._spend(
            parsed.response.client_data_json, purpose, None if user is None else user.id
        )
        passkey = await self._by_credential_id(parsed.id)
        if passkey is None or (user is not None and passkey.user_id != user.id):
            raise UnknownPasskeyError()
        owner = user or await self._owner(passkey, parsed)
        # Passwordless, the passkey is the only factor: it must have verified its user.
        verify_user = user is None or self.settings.user_verification == "required"
        try:
            verified = ceremonies.verify_assertion(
                parsed,
                challenge,
                self.rp,
                passkey.public_key,
                require_user_verification=verify_user,
            )
            # A counter that does not grow means two copies of the key are signing (W3C
            # WebAuthn §6.1.1); authenticators without a counter always send 0.
            if (verified.new_sign_count or passkey.sign_count) and (
                verified.new_sign_count <= passkey.sign_count
            ):
                raise ClonedAuthenticatorError()
        except (ClonedAuthenticatorError, PasskeyRejectedError):
            # As a second factor the MFA flow audits the refusal it is told of; passwordless,
            # nobody else would.
            if user is None:
                await self.events.dispatch(MfaFailed(owner, METHOD, client))
                await self.session.commit()
            raise
        passkey.sign_count = verified.new_sign_count
        passkey.last_used_at = utcnow()
        await self.session.commit()
        return passkey

    async def owner(self, passkey: WebAuthnCredential) -> AuthUser:
        """The user a passkey belongs to."""
        user = await self.users.find(self.session, passkey.user_id)
        if user is None:
            raise UnknownPasskeyError()
        return user

    # -- helpers ---------------------------------------------------------------------------------

    async def _spend(self, client_data_json: bytes, purpose: Purpose, user_id: int | None) -> bytes:
        data = ceremonies.client_data(client_data_json)
        ceremonies.check_origin(data, self.rp)
        spent = await self.challenges.spend(data.challenge, purpose, user_id)
        # Committed at once: whatever happens next, this challenge cannot be answered again.
        await self.session.commit()
        if not spent:
            raise ChallengeNotValidError()
        return data.challenge

    async def _by_credential_id(self, credential_id: str) -> WebAuthnCredential | None:
        found = await self.session.scalars(
            select(WebAuthnCredential).where(WebAuthnCredential.credential_id == credential_id)
        )
        return found.one_or_none()

    async def _owner(
        self, passkey: WebAuthnCredential, parsed: AuthenticationCredential
    ) -> AuthUser:
        owner = await self.owner(passkey)
        handle = parsed.response.user_handle
        # A discoverable passkey names its user: it must be the one it was registered for.
        if handle is not None and handle != user_handle(owner):
            raise UnknownPasskeyError()
        return owner
