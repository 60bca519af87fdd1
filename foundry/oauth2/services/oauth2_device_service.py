"""RFC 8628 device authorization: issue codes to devices, let a signed-in user decide.

The device then polls ``POST /oauth/token`` with the device_code grant (authlib's
``DeviceCodeGrant``, see :class:`foundry.oauth2.grants.FoundryDeviceCodeGrant`).
"""

from __future__ import annotations

from dataclasses import dataclass

from authlib.oauth2.rfc6749 import OAuth2Error, UnauthorizedClientError
from sqlalchemy.ext.asyncio import AsyncSession

from foundry.auth.jwt import JwtService
from foundry.config.oauth2 import OAuth2Settings
from foundry.database.lazy_session import LazySession
from foundry.events import EventDispatcher
from foundry.oauth2.context import GrantContext
from foundry.oauth2.devices import DeviceCodes
from foundry.oauth2.events import AuthorizationApproved, AuthorizationDenied
from foundry.oauth2.grants import ALL_AUTH_METHODS, check_scope
from foundry.oauth2.metadata import server_metadata
from foundry.oauth2.models.oauth_client import OAuthClient
from foundry.oauth2.models.oauth_consent import OAuthDeviceCode
from foundry.oauth2.request import FoundryOAuth2Request
from foundry.oauth2.responses import error_response, malformed_basic, normalize, presented_client_id
from foundry.oauth2.server import FoundryAuthorizationServer, OAuth2Response
from foundry.oauth2.services.oauth2_service import DEVICE_GRANT
from foundry.oauth2.store import OAuth2Store

__all__ = ["DevicePrompt", "OAuth2DeviceService"]


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
    ) -> None:
        self.session = session
        self.jwt = jwt
        self.settings = settings
        self.events = events
        self.devices = DeviceCodes(session, settings)
        self.store = OAuth2Store(LazySession.opened(session), jwt, settings)

    async def authorize_device(self, request: FoundryOAuth2Request) -> OAuth2Response:
        """RFC 8628 section 3.1-3.2: a device code, a user code and where to type it."""
        if malformed_basic(request):
            return error_response("invalid_client", "Malformed Basic credentials.", 401)
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
            return normalize(server.handle_error_response(request, error))
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

    async def decide(self, prompt: DevicePrompt, user_id: int, approve: bool) -> None:
        """Record the user's answer; the device's next poll gets tokens or ``access_denied``."""
        await self.devices.decide(prompt.row, user_id, approve)
        client = await self.session.get(OAuthClient, prompt.row.client_id)
        client_id = client.client_id if client else None
        if approve:
            await self.events.dispatch(AuthorizationApproved(client_id, user_id, prompt.row.scopes))
        else:
            await self.events.dispatch(AuthorizationDenied(client_id, user_id))
        await self.session.commit()
