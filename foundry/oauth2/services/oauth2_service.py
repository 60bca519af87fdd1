"""OAuth2 token, introspection and revocation use cases around authlib's server.

Each call loads what the request can need (asynchronously), lets authlib decide (synchronously,
on snapshots: no database call inside authlib), then applies authlib's writes and commits. See
:mod:`foundry.oauth2.context` for the reasoning.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from foundry.auth.jwt import JwtService
from foundry.auth.login_claims import login_claims
from foundry.auth.passwords import PasswordHasher
from foundry.auth.refresh_tokens import hash_token
from foundry.auth.services.login_throttle import LoginThrottle
from foundry.auth.user import AuthUser
from foundry.auth.user_provider import UserProvider
from foundry.config.oauth2 import OAuth2Settings
from foundry.database.lazy_session import LazySession
from foundry.events import EventDispatcher
from foundry.kernel.errors import TooManyRequestsError
from foundry.oauth2.client_cache import ClientCache
from foundry.oauth2.client_throttle import ClientAuthThrottle
from foundry.oauth2.context import GrantContext
from foundry.oauth2.devices import DeviceCodes
from foundry.oauth2.events import (
    AccessTokenCreated,
    AuthorizationCodeReused,
    OAuth2RequestFailed,
    RefreshTokenReused,
    TokenRevoked,
)
from foundry.oauth2.login_claims import OAuthLoginClaims, device_key
from foundry.oauth2.password_gate import PasswordGrantGate
from foundry.oauth2.records import AccessRecord, GrantUser
from foundry.oauth2.request import FoundryOAuth2Request
from foundry.oauth2.responses import error_response, malformed_basic, normalize, presented_client_id
from foundry.oauth2.server import OAuth2Response, SharedAuthorizationServer
from foundry.oauth2.store import OAuth2Store
from foundry.rate_limiting import RateLimiterManager

__all__ = ["DEVICE_GRANT", "OAuth2Service"]

DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code"


class OAuth2Service:
    """``token``, ``introspect``, ``revoke``: each a unit of work that commits.

    The request's session is opened on first use (:class:`LazySession`): a ``client_credentials``
    token whose client is cached needs no database at all.
    """

    def __init__(
        self,
        session: LazySession,
        jwt: JwtService,
        settings: OAuth2Settings,
        hasher: PasswordHasher,
        events: EventDispatcher,
        limiter: RateLimiterManager,
        clients: ClientCache,
        server: SharedAuthorizationServer,
        users: UserProvider,
        login_claims: OAuthLoginClaims,
        password_gate: PasswordGrantGate,
    ) -> None:
        self.users = users
        self.login_claims = login_claims
        self.password_gate = password_gate
        self._session = session
        self.authorization_server = server
        self.jwt = jwt
        self.settings = settings
        self.hasher = hasher
        self.events = events
        self.limiter = limiter
        self.client_throttle = ClientAuthThrottle(limiter)
        self.store = OAuth2Store(session, jwt, settings, clients)
        self._devices: DeviceCodes | None = None

    @property
    def session(self) -> AsyncSession:
        """The request's session (opened now if nothing opened it yet)."""
        return self._session.get()

    @property
    def devices(self) -> DeviceCodes:
        """Device codes (RFC 8628) in the request's session."""
        if self._devices is None:
            self._devices = DeviceCodes(self.session, self.settings)
        return self._devices

    def _respond_token(self, ctx: GrantContext, request: FoundryOAuth2Request) -> OAuth2Response:
        server = self.authorization_server
        return normalize(server.respond(ctx, lambda: server.create_token_response(request)))

    def _respond_endpoint(
        self, ctx: GrantContext, name: str, request: FoundryOAuth2Request
    ) -> OAuth2Response:
        server = self.authorization_server
        answer = server.respond(ctx, lambda: server.create_endpoint_response(name, request))
        return normalize(answer)

    # -- token endpoint ----------------------------------------------------------------------

    async def token(self, request: FoundryOAuth2Request, ip: str | None = None) -> OAuth2Response:
        """``POST /oauth/token`` for every grant."""
        refused = await self.client_throttle.refusal(request, ip)
        if refused is not None:
            return await self._failed(request, refused, ip)
        params = request.params
        grant_type = params.data.get("grant_type")
        duplicated = params.duplicated()
        if duplicated:
            return await self._failed(
                request, error_response("invalid_request", f"Duplicated '{duplicated[0]}'."), ip
            )
        if malformed_basic(request):
            bad = error_response("invalid_client", "Malformed Basic credentials.", 401)
            return await self._failed(request, bad, ip)
        if not grant_type:
            missing = error_response("invalid_request", "Missing 'grant_type'.")
            return await self._failed(request, missing, ip)
        ctx = GrantContext(client=await self.store.client(presented_client_id(request)))
        early = await self._load_grant(request, ctx, grant_type, ip)
        if early is not None:
            return await self._failed(request, early, ip)
        # End the read before writing: on SQLite a transaction that read and then writes fails at
        # once ("database is locked") when another request wrote in between; a fresh write
        # transaction waits for the lock instead. The compare-and-set updates below keep the
        # spend-once guarantees without the read's snapshot. client_credentials writes nothing.
        if grant_type != "client_credentials":
            await self.session.commit()
        response = self._respond_token(ctx, request)
        if response.status != 200 or ctx.client is None:
            return await self._failed(request, response, ip)
        if ctx.spent_code is not None and not await self.store.spend_code(ctx.spent_code):
            await self.session.rollback()
            lost = error_response("invalid_grant", "The authorization code was already used.")
            return await self._failed(request, lost, ip)
        if ctx.rotated_refresh is not None and not await self.store.rotate_refresh(
            ctx.rotated_refresh
        ):
            await self.session.rollback()
            lost = error_response("invalid_grant", "The refresh token was already used.")
            return await self._failed(request, lost, ip)
        if ctx.spent_device is not None and not await self.devices.spend(ctx.spent_device):
            await self.session.rollback()
            lost = error_response("invalid_grant", "The device code was already used.")
            return await self._failed(request, lost, ip)
        if any(issued.user_id is not None for issued in ctx.issued):
            await self.store.save_issued(ctx.client.pk, ctx.issued)
        if ctx.refresh is not None and ctx.login_claims:
            # The family lives on through its new refresh token: so do its sign-in claims.
            await self.login_claims.remember(ctx.refresh.family_id, ctx.login_claims)
        if ctx.spent_device is not None and ctx.login_claims:
            # The device's new family (its refresh token) keeps the approval's sign-in claims.
            for issued in ctx.issued:
                if issued.family_id is not None:
                    await self.login_claims.remember(issued.family_id, ctx.login_claims)
            await self.login_claims.forget(
                device_key(hash_token(request.form.get("device_code", "")))
            )
        for issued in ctx.issued:
            await self.events.dispatch(
                AccessTokenCreated(
                    ctx.client.client_id,
                    issued.grant_type,
                    issued.user_id,
                    issued.scope,
                    issued.jti,
                )
            )
        if grant_type != "client_credentials":  # it wrote nothing (stateless tokens)
            await self.session.commit()
        return response

    async def _load_grant(
        self,
        request: FoundryOAuth2Request,
        ctx: GrantContext,
        grant_type: str | None,
        ip: str | None,
    ) -> OAuth2Response | None:
        """Load the grant's row; answer at once for a replayed code or refresh token."""
        form = request.form
        if grant_type == "authorization_code" and form.get("code"):
            ctx.code = await self.store.code(form["code"])
            if ctx.code is not None and ctx.code.used:
                # RFC 6749 section 4.1.2: a code used twice revokes what it issued.
                await self.session.commit()  # end the read before writing (see ``token``)
                await self.store.revoke_family(ctx.code.family_id)
                await self.events.dispatch(
                    AuthorizationCodeReused(_client_id(ctx), ctx.code.family_id)
                )
                await self.session.commit()
                return error_response("invalid_grant", "The authorization code was already used.")
            if ctx.code is not None:
                ctx.login_claims = await self.login_claims.recall(ctx.code.family_id)
        elif grant_type == "refresh_token" and form.get("refresh_token"):
            ctx.refresh = await self.store.refresh(form["refresh_token"])
            if ctx.refresh is not None and ctx.refresh.rotated and not ctx.refresh.revoked:
                # A rotated token presented again leaked: end its whole family.
                await self.session.commit()  # end the read before writing (see ``token``)
                await self.store.revoke_family(ctx.refresh.family_id)
                await self.events.dispatch(
                    RefreshTokenReused(_client_id(ctx), ctx.refresh.family_id)
                )
                await self.session.commit()
                return error_response("invalid_grant", "The refresh token was already used.")
            if ctx.refresh is not None:
                ctx.login_claims = await self.login_claims.recall(ctx.refresh.family_id)
        elif grant_type == "password" and ctx.client is not None:
            if ctx.client.check_grant_type("password"):
                return await self._check_password(request, ctx, ip)
        elif grant_type == DEVICE_GRANT and form.get("device_code"):
            ctx.device, ctx.slow_down = await self.devices.poll(form["device_code"])
            await self.session.commit()  # the poll time counts even when the answer is an error
            if ctx.device is not None and ctx.device.user_id is not None:
                device = device_key(hash_token(form["device_code"]))
                ctx.login_claims = await self.login_claims.recall(device)
        return None

    async def _check_password(
        self, request: FoundryOAuth2Request, ctx: GrantContext, ip: str | None
    ) -> OAuth2Response | None:
        username = request.form.get("username", "")
        password = request.form.get("password", "")
        if not username or not password:
            return None  # authlib answers invalid_request
        throttle = LoginThrottle(self.limiter, "oauth-password")
        try:
            await throttle.check(username, ip)
        except TooManyRequestsError:
            return error_response("invalid_grant", "Too many attempts; try again later.")
        user = await self.users.find_by_email(self.session, username)
        # Hashing takes ~50 ms: end the read so a write afterwards does not hold a stale
        # SQLite snapshot (see AuthService._end_read).
        await self.session.commit()
        check = await self.hasher.check(user.password if user else None, password)
        if user is None or not check.valid:
            await throttle.failed(username, ip)
            return None  # authlib answers invalid_grant for an unknown user
        await throttle.succeeded(username, ip)
        refusal = await self.password_gate.refusal(self.session, user)
        if refusal is not None:
            await self.session.commit()  # end the read (see above)
            return error_response("invalid_grant", refusal)
        ctx.password_username = username
        ctx.login_claims = login_claims(["pwd"], int(self.jwt.clock()))
        ctx.password_user = GrantUser(user.id)
        return None

    # -- introspection and revocation --------------------------------------------------------

    async def introspect(
        self, request: FoundryOAuth2Request, ip: str | None = None
    ) -> OAuth2Response:
        """``POST /oauth/introspect`` (RFC 7662)."""
        refused = await self.client_throttle.refusal(request, ip)
        if refused is not None:
            return await self._failed(request, refused, ip)
        if malformed_basic(request):
            bad = error_response("invalid_client", "Malformed Basic credentials.", 401)
            return await self._failed(request, bad, ip)
        ctx = await self._load_token(request)
        response = self._respond_endpoint(ctx, "introspection", request)
        if response.status != 200:
            return await self._failed(request, response, ip)
        return response

    async def revoke(self, request: FoundryOAuth2Request, ip: str | None = None) -> OAuth2Response:
        """``POST /oauth/revoke`` (RFC 7009): an access token by ``jti``, a refresh token with
        its family (RFC 7009 section 2.1 lets the access tokens of the grant go too)."""
        refused = await self.client_throttle.refusal(request, ip)
        if refused is not None:
            return await self._failed(request, refused, ip)
        if malformed_basic(request):
            bad = error_response("invalid_client", "Malformed Basic credentials.", 401)
            return await self._failed(request, bad, ip)
        ctx = await self._load_token(request)
        await self.session.commit()  # end the read before writing (see ``token``)
        response = self._respond_endpoint(ctx, "revocation", request)
        if response.status != 200:
            return await self._failed(request, response, ip)
        for token in ctx.revoked:
            if isinstance(token, AccessRecord):
                await self.store.revoke_access(token)
                kind = "access_token"
            else:
                await self.store.revoke_family(token.family_id)
                kind = "refresh_token"
            await self.events.dispatch(TokenRevoked(_client_id(ctx), kind))
        await self.session.commit()
        return response

    async def _load_token(self, request: FoundryOAuth2Request) -> GrantContext:
        ctx = GrantContext(client=await self.store.client(presented_client_id(request)))
        token = request.form.get("token")
        if token and ctx.client is not None:
            if request.form.get("token_type_hint") == "refresh_token":
                ctx.refresh = await self.store.refresh(token)
            else:
                ctx.access = await self.store.access(token)
                if ctx.access is None:
                    ctx.refresh = await self.store.refresh(token)
        return ctx

    async def _failed(
        self, request: FoundryOAuth2Request, response: OAuth2Response, ip: str | None
    ) -> OAuth2Response:
        await self.client_throttle.record(request, response, ip)
        body = response.body if isinstance(response.body, dict) else {}
        await self.events.dispatch(
            OAuth2RequestFailed(
                presented_client_id(request),
                endpoint=request.uri.rsplit("/", 1)[-1],
                error=str(body.get("error", "unknown")),
                grant_type=request.form.get("grant_type"),
                ip=ip,
            ),
            after_commit=False,
        )
        return response


def _client_id(ctx: GrantContext) -> str | None:
    return ctx.client.client_id if ctx.client else None
