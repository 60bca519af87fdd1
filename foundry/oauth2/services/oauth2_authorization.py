"""The authorization endpoint's use cases: validate a request, decide on consent, approve, deny.

authlib validates the request (client, exact redirect URI, response type, scopes, duplicated
parameters) and builds the redirect; this service adds what authlib leaves out: PKCE S256 is
required (a missing ``code_challenge`` is checked here, authlib does not), consent is remembered
per user, client and scopes, and first-party clients skip it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from authlib.oauth2.rfc6749 import OAuth2Error
from authlib.oauth2.rfc6749.grants import AuthorizationCodeGrant
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from foundry.auth.jwt import JwtService
from foundry.config.oauth2 import OAuth2Settings
from foundry.database.lazy_session import LazySession
from foundry.events import EventDispatcher
from foundry.oauth2.client import OAuth2Client
from foundry.oauth2.context import GrantContext
from foundry.oauth2.events import AuthorizationApproved, AuthorizationDenied, OAuth2RequestFailed
from foundry.oauth2.login_claims import OAuthLoginClaims
from foundry.oauth2.models.oauth_consent import OAuthConsent
from foundry.oauth2.records import GrantUser
from foundry.oauth2.request import FoundryOAuth2Request, unsafe_parameter
from foundry.oauth2.server import FoundryAuthorizationServer, OAuth2Response
from foundry.oauth2.store import OAuth2Store

__all__ = ["AuthorizationOutcome", "OAuth2AuthorizationService"]

Kind = Literal["redirect", "consent", "login", "error"]

#: Parameters checked against RFC 6749's character set before authlib sees them.
_CHECKED = ("response_type", "redirect_uri", "scope", "client_id", "code_challenge_method")


@dataclass(frozen=True, slots=True)
class AuthorizationOutcome:
    """What the controller shows: a redirect, the consent page, the login page or an error page.

    Errors are redirected only to a redirect URI authlib verified; otherwise ``error`` is shown on
    a page of our own (RFC 6749 section 4.1.2.1).
    """

    kind: Kind
    location: str | None = None
    client: OAuth2Client | None = None
    scopes: list[tuple[str, str]] = field(default_factory=list)
    error: str | None = None
    description: str | None = None
    #: The verified redirect URI (the consent page lets its form end up there).
    redirect_uri: str | None = None


class OAuth2AuthorizationService:
    """``GET/POST /oauth/authorize`` logic; approving commits the code and the consent."""

    def __init__(
        self,
        session: AsyncSession,
        jwt: JwtService,
        settings: OAuth2Settings,
        events: EventDispatcher,
        login_claims: OAuthLoginClaims,
    ) -> None:
        self.session = session
        self.login_claims = login_claims
        self.jwt = jwt
        self.settings = settings
        self.events = events
        self.store = OAuth2Store(LazySession.opened(session), jwt, settings)

    async def start(
        self,
        request: FoundryOAuth2Request,
        user_id: int | None,
        login: Mapping[str, Any] | None = None,
    ) -> AuthorizationOutcome:
        """Validate; then ask for a login, ask for consent, or approve a remembered consent.

        ``login``: how the user signed in (``amr``, ``acr``, ``auth_time``, ``mfa_at``), which the
        tokens of the code record."""
        ctx, server = await self._server(request)
        grant = self._validate(server, request, user_id)
        if isinstance(grant, AuthorizationOutcome):
            return await self._report(grant, ctx)
        prompt = set((request.params.data.get("prompt") or "").split())
        if user_id is None:
            if "none" in prompt:
                return self._redirect_error(grant, request, "login_required", "Login required.")
            return AuthorizationOutcome("login", client=ctx.client)
        assert ctx.client is not None
        scope = request.scope or ""
        if await self._needs_consent(ctx.client, user_id, scope, prompt):
            if "none" in prompt:
                return self._redirect_error(grant, request, "consent_required", "Consent required.")
            return AuthorizationOutcome(
                "consent",
                client=ctx.client,
                scopes=self.describe(scope),
                redirect_uri=grant.redirect_uri,
            )
        return await self._approve(
            server, ctx, grant, request, user_id, remembered=True, login=login
        )

    async def decide(
        self,
        request: FoundryOAuth2Request,
        user_id: int,
        approve: bool,
        login: Mapping[str, Any] | None = None,
    ) -> AuthorizationOutcome:
        """The consent form's answer (``decision=approve|deny``); ``login`` as for
        :meth:`start`."""
        ctx, server = await self._server(request)
        grant = self._validate(server, request, user_id)
        if isinstance(grant, AuthorizationOutcome):
            return await self._report(grant, ctx)
        if approve:
            return await self._approve(
                server, ctx, grant, request, user_id, remembered=False, login=login
            )
        response = server.create_authorization_response(request, grant_user=None, grant=grant)
        await self.events.dispatch(AuthorizationDenied(_client_id(ctx), user_id))
        await self.session.commit()
        return _outcome(response)

    def describe(self, scope: str) -> list[tuple[str, str]]:
        """``(scope, description)`` pairs for the consent page."""
        return [(name, self.settings.scopes.get(name, name)) for name in scope.split()]

    # -- steps ---------------------------------------------------------------------------------

    async def _server(
        self, request: FoundryOAuth2Request
    ) -> tuple[GrantContext, FoundryAuthorizationServer]:
        ctx = GrantContext(client=await self.store.client(request.params.data.get("client_id")))
        return ctx, FoundryAuthorizationServer(ctx, self.jwt, self.settings)

    def _validate(
        self, server: FoundryAuthorizationServer, request: FoundryOAuth2Request, user_id: int | None
    ) -> AuthorizationCodeGrant | AuthorizationOutcome:
        """authlib's grant for a valid request, or the error outcome."""
        end_user = GrantUser(user_id) if user_id is not None else None
        unsafe = unsafe_parameter(request.params.data, _CHECKED)
        if unsafe is not None:
            return AuthorizationOutcome(
                "error", error="invalid_request", description=f"Malformed '{unsafe}' parameter."
            )
        try:
            grant = server.get_consent_grant(request, end_user=end_user)
        except OAuth2Error as error:
            return _error_outcome(error)
        assert isinstance(grant, AuthorizationCodeGrant)  # the only authorization grant
        problem = self._pkce_problem(request, server.ctx.client)
        if problem is not None:
            return self._redirect_error(grant, request, "invalid_request", problem)
        return grant

    def _pkce_problem(
        self, request: FoundryOAuth2Request, client: OAuth2Client | None
    ) -> str | None:
        data = request.params.data
        required = self.settings.require_pkce or (client is not None and client.public)
        challenge, method = data.get("code_challenge"), data.get("code_challenge_method")
        if not challenge:
            return "Missing 'code_challenge' (PKCE with S256 is required)." if required else None
        if method != "S256":
            return "Only code_challenge_method=S256 is supported."
        return None

    def _redirect_error(
        self,
        grant: AuthorizationCodeGrant,
        request: FoundryOAuth2Request,
        error: str,
        description: str,
    ) -> AuthorizationOutcome:
        redirect_uri = grant.redirect_uri
        failure = OAuth2Error(
            description, state=request.params.data.get("state"), redirect_uri=redirect_uri
        )
        failure.error = error
        return _error_outcome(failure)

    async def _needs_consent(
        self, client: OAuth2Client, user_id: int, scope: str, prompt: set[str]
    ) -> bool:
        if "consent" in prompt:
            return True
        if client.first_party:
            return False
        granted = await self.session.scalar(
            select(OAuthConsent.scopes).where(
                OAuthConsent.user_id == user_id, OAuthConsent.client_id == client.pk
            )
        )
        return granted is None or not set(scope.split()) <= set(granted.split())

    async def _approve(
        self,
        server: FoundryAuthorizationServer,
        ctx: GrantContext,
        grant: AuthorizationCodeGrant,
        request: FoundryOAuth2Request,
        user_id: int,
        *,
        remembered: bool,
        login: Mapping[str, Any] | None,
    ) -> AuthorizationOutcome:
        response = server.create_authorization_response(
            request, grant_user=GrantUser(user_id), grant=grant
        )
        if ctx.new_code is None or ctx.client is None:
            return _outcome(response)
        await self.session.commit()  # end the read before writing (SQLite locks, see the service)
        await self.store.save_code(ctx.new_code)
        await self.login_claims.remember(ctx.new_code.family_id, login)
        await self._remember(ctx.client.pk, user_id, ctx.new_code.scope)
        await self.events.dispatch(
            AuthorizationApproved(ctx.client.client_id, user_id, ctx.new_code.scope, remembered)
        )
        await self.session.commit()
        return _outcome(response)

    async def _remember(self, client_pk: int, user_id: int, scope: str) -> None:
        consent = await self.session.scalar(
            select(OAuthConsent).where(
                OAuthConsent.user_id == user_id, OAuthConsent.client_id == client_pk
            )
        )
        if consent is None:
            self.session.add(OAuthConsent(user_id=user_id, client_id=client_pk, scopes=scope))
        else:
            merged = dict.fromkeys(consent.scopes.split() + scope.split())
            consent.scopes = " ".join(merged)
        await self.session.flush()

    async def _report(
        self, outcome: AuthorizationOutcome, ctx: GrantContext
    ) -> AuthorizationOutcome:
        await self.events.dispatch(
            OAuth2RequestFailed(
                _client_id(ctx), endpoint="authorize", error=outcome.error or "unknown"
            ),
            after_commit=False,
        )
        return outcome


def _client_id(ctx: GrantContext) -> str | None:
    return ctx.client.client_id if ctx.client else None


def _error_outcome(error: OAuth2Error) -> AuthorizationOutcome:
    code = error.error or "invalid_request"
    if error.redirect_uri:
        status, _, headers = error()
        location = next(v for k, v in headers if k == "Location")
        return AuthorizationOutcome("redirect", location=location, error=code)
    return AuthorizationOutcome("error", error=code, description=error.description)


def _outcome(response: OAuth2Response) -> AuthorizationOutcome:
    location = response.header("Location")
    if location is None:
        body = response.body if isinstance(response.body, dict) else {}
        return AuthorizationOutcome(
            "error",
            error=str(body.get("error", "invalid_request")),
            description=str(body.get("error_description", "")),
        )
    return AuthorizationOutcome("redirect", location=location)
