"""RFC 8628 device authorization: issue codes to devices, let a signed-in user decide.

The device then polls ``POST /oauth/token`` with the device_code grant (authlib's
``DeviceCodeGrant``, see :class:`foundry.oauth2.grants.FoundryDeviceCodeGrant`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from authlib.oauth2.rfc6749 import OAuth2Error, UnauthorizedClientError
from sqlalchemy.ext.asyncio import AsyncSession

from foundry.auth.jwt import JwtService
from foundry.config.oauth2 import OAuth2Settings
from foundry.database.lazy_session import LazySession
from foundry.events import EventDispatcher
from foundry.kernel.errors import TooManyRequestsError
from foundry.oauth2.client_throttle import ClientAuthThrottle
from foundry.oauth2.context import GrantContext
from foundry.oauth2.devices import DeviceCodes
from foundry.oauth2.events import AuthorizationApproved, AuthorizationDenied
from foundry.oauth2.grants import ALL_AUTH_METHODS, check_scope
from foundry.oauth2.login_claims import OAuthLoginClaims, device_key
from foundry.oauth2.metadata import server_metadata
from foundry.oauth2.models.oauth_client import OAuthClient
from foundry.oauth2.models.oauth_consent import OAuthDeviceCode
from foundry.oauth2.request import FoundryOAuth2Request
from foundry.oauth2.responses import error_response, malformed_basic, normalize, presented_client_id
from foundry.oauth2.server import FoundryAuthorizationServer, OAuth2Response
from foundry.oauth2.services.oauth2_service import DEVICE_GRANT
from foundry.oauth2.store import OAuth2Store
from foundry.rate_limiting import RateLimiterManager

__all__ = ["DevicePrompt", "OAuth2DeviceService"]

_USER_CODE_DECAY_SECONDS = 60


@dataclass(frozen=True, slots=True)
class DevicePrompt:
    """What the device page shows for a typed user code."""

    row: OAuthDeviceCode
    client_name: str
    scopes: list[tuple[str, str]]


class OAuth2DeviceService:
    """``POST /oauth/device/code`` and the decision on ``/oauth/device``."""

    def __init__(
        self,
        session: AsyncSession,
        jwt: JwtService,
        settings: OAuth2Settings,
        events: EventDispatcher,
        limiter: RateLimiterManager,
        login_claims: OAuthLoginClaims,
    ) -> None:
        self.session = session
        self.login_claims = login_claims
        self.limiter = limiter
        self.client_throttle = ClientAuthThrottle(limiter)
        self.jwt = jwt
        self.settings = settings
        self.events = events
        self.devices = DeviceCodes(session, settings)
        self.store = OAuth2Store(LazySession.opened(session), jwt, settings)

    async def authorize_device(
        self, request: FoundryOAuth2Request, ip: str | None = None
    ) -> OAuth2Response:
        """RFC 8628 section 3.1-3.2: a device code, a user code and where to type it."""
        refused = await self.client_throttle.refusal(request, ip)
        if refused is not None:
            return refused
        if malformed_basic(request):
            bad = error_response("invalid_client", "Malformed Basic credentials.", 401)
            await self.client_throttle.record(request, bad, ip)
            return bad
        duplicated = request.params.duplicated()
        if duplicated:
            return error_response("invalid_request", f"Duplicated '{duplicated[0]}'.")
        ctx = GrantContext(client=await self.store.client(presented_client_id(request)))
        server = FoundryAuthorizationServer(ctx, self.jwt, self.settings)
        scope = request.form.get("scope") or ""
        try:
            client = server.authenticate_client(request, ALL_AUTH_METHODS, "device_authorization")
            if not client.check_grant_type(DEVICE_GRANT):
                raise UnauthorizedClientError("The client may not use the device code grant.")
            check_scope(scope, server, ctx)
        except OAuth2Error as error:
            answer = normalize(server.handle_error_response(request, error))
            await self.client_throttle.record(request, answer, ip)
            return answer
        issued = await self.devices.issue(client.pk, " ".join(dict.fromkeys(scope.split())))
        await self.session.commit()
        uri = server_metadata(self.settings, self.jwt.settings.issuer)["issuer"] + "/oauth/device"
        return OAuth2Response(
            200,
            {
                "device_code": issued.device_code,
                "user_code": issued.user_code,
                "verification_uri": uri,
                "verification_uri_complete": f"{uri}?user_code={issued.user_code}",
                "expires_in": issued.expires_in,
                "interval": issued.interval,
            },
            [("Content-Type", "application/json")],
        )

    async def guess(self, user_code: str, ip: str | None) -> DevicePrompt | None:
        """:meth:`prompt` for a code a user typed: a wrong one counts against the address.

        User codes are short enough to type, so they could be guessed: past
        ``RATE_LIMIT_DEVICE_CODE_PER_MINUTE`` wrong codes from one address, every code from it
        is refused until the window ends.

        Raises:
            TooManyRequestsError: too many wrong codes from ``ip``.
        """
        key = f"device-user-code:{ip or ''}"
        if await self.limiter.too_many_attempts(key, self.limiter.settings.device_code_per_minute):
            retry_after = max(1, await self.limiter.available_in(key))
            raise TooManyRequestsError(
                f"Too many wrong codes. Please try again in {retry_after} seconds.",
                retry_after=retry_after,
            )
        found = await self.prompt(user_code)
        if found is None:
            await self.limiter.hit(key, _USER_CODE_DECAY_SECONDS)
        return found

    async def prompt(self, user_code: str) -> DevicePrompt | None:
        """The pending request behind a typed code, or ``None``."""
        row = await self.devices.find_pending(user_code)
        if row is None:
            return None
        client = await self.session.get(OAuthClient, row.client_id)
        if client is None or client.revoked:
            return None
        scopes = [(s, self.settings.scopes.get(s, s)) for s in row.scopes.split()]
        return DevicePrompt(row, client.name, scopes)

    async def decide(
        self,
        prompt: DevicePrompt,
        user_id: int,
        approve: bool,
        login: Mapping[str, Any] | None = None,
    ) -> None:
        """Record the user's answer; the device's next poll gets tokens or ``access_denied``.

        ``login``: how the approving user signed in (the browser session's claims), which the
        device's tokens then carry (:mod:`foundry.oauth2.login_claims`).
        """
        if approve:
            # Kept before the approval is committed: a poll that sees the approval finds them.
            key = device_key(prompt.row.device_code_hash)
            await self.login_claims.remember(key, login, self.settings.device_code_ttl)
        await self.devices.decide(prompt.row, user_id, approve)
        client = await self.session.get(OAuthClient, prompt.row.client_id)
        client_id = client.client_id if client else None
        if approve:
            await self.events.dispatch(AuthorizationApproved(client_id, user_id, prompt.row.scopes))
        else:
            await self.events.dispatch(AuthorizationDenied(client_id, user_id))
        await self.session.commit()
