"""``GET/POST /oauth/authorize`` (consent page and decision), ``GET/POST /oauth/login`` and, for
users with MFA, its second step ``POST /oauth/login/mfa`` (with ``POST /oauth/login/mfa/sms``,
the "Text me a code" button of users with an SMS factor)."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import urlencode, urlsplit

from fastapi import APIRouter, Request
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.responses import RedirectResponse, Response

from foundry.auth.services.browser_login_service import BrowserLoginService
from foundry.auth.user import AuthUser
from foundry.auth.user_provider import UserProvider
from foundry.http.auth import Authenticated
from foundry.http.dependencies import Inject
from foundry.http.oauth_browser import Cookies, SpaUser, browser_user, form_proof, safe_next
from foundry.http.oauth_request import read_oauth_request
from foundry.http.views import PAGE_HEADERS, render_page
from foundry.http.web_session import BrowserSession
from foundry.kernel.errors import HttpError, TooManyRequestsError, ValidationError
from foundry.mfa.clock import MfaClock
from foundry.mfa.factors import MfaClient
from foundry.mfa.login_tokens import MfaLoginTokens
from foundry.mfa.policy import MfaPolicyService
from foundry.mfa.service import InvalidMfaTokenError, MfaService, SecondFactorFailedError
from foundry.mfa.sms.service import METHOD as SMS
from foundry.oauth2.login_claims import clean_login_claims
from foundry.oauth2.request import FoundryOAuth2Request, parse_form
from foundry.oauth2.server import OAuth2Response
from foundry.oauth2.services.oauth2_authorization import (
    AuthorizationOutcome,
    OAuth2AuthorizationService,
)

__all__ = ["router"]

router = APIRouter(prefix="/oauth", tags=["oauth2"])

#: Form fields of our own, never echoed back into the consent form.
_OWN_FIELDS = frozenset({"csrf_token", "decision"})


def _redirect(location: str, *, after_post: bool) -> RedirectResponse:
    # RFC 9700 section 4.11: 307 would re-post the form (and the password) to the client; a 303
    # after a POST makes the browser follow with a GET.
    response = RedirectResponse(location, status_code=303 if after_post else 302)
    for name, value in PAGE_HEADERS.items():
        response.headers[name] = value
    return response


def _error_page(error: str, description: str | None, status: int = 400) -> Response:
    return render_page(
        "oauth/error.html.j2", {"error": error, "description": description or ""}, status
    )


def _show(
    outcome: AuthorizationOutcome,
    request: FoundryOAuth2Request,
    browser: BrowserSession,
    user: AuthUser | None,
    *,
    after_post: bool,
) -> Response:
    if outcome.kind == "redirect" and outcome.location:
        return _redirect(outcome.location, after_post=after_post)
    if outcome.kind == "consent" and outcome.client is not None:
        params = [(k, v) for k, v in request.params.data.items() if k not in _OWN_FIELDS]
        redirect = urlsplit(outcome.redirect_uri or "")
        origin = [f"{redirect.scheme}://{redirect.netloc}"] if redirect.netloc else []
        return render_page(
            "oauth/consent.html.j2",
            {
                "client_name": outcome.client.name,
                "user_name": user.name if user else "",
                "scopes": outcome.scopes,
                "params": params,
                "csrf_token": browser.csrf,
            },
            form_targets=origin,
        )
    return _error_page(outcome.error or "invalid_request", outcome.description)


@router.get("/authorize", response_model=None)
async def authorize(
    request: Request,
    cookies: Cookies,
    service: Inject[OAuth2AuthorizationService],
    session: Inject[AsyncSession],
    users: Inject[UserProvider],
) -> Response:
    """Validate the request; log in, ask for consent, or redirect back with a code."""
    adapted = await read_oauth_request(request)
    if isinstance(adapted, OAuth2Response):
        return _error_page("invalid_request", adapted.body.get("error_description"))
    browser = cookies.read(request) or cookies.start(None)
    user = await browser_user(browser, session, users)
    outcome = await service.start(
        adapted, user.id if user else None, browser.login_claims() if user else None
    )
    if outcome.kind == "login":
        next_url = f"/oauth/authorize?{request.url.query}"
        response: Response = _redirect(
            f"/oauth/login?{urlencode({'next': next_url})}", after_post=False
        )
    else:
        response = _show(outcome, adapted, browser, user, after_post=False)
    cookies.write(response, browser)
    return response


@router.post("/authorize", response_model=None)
async def decide(
    request: Request,
    cookies: Cookies,
    service: Inject[OAuth2AuthorizationService],
    session: Inject[AsyncSession],
    users: Inject[UserProvider],
    spa: SpaUser,
    auth: Authenticated,
) -> Response:
    """The consent form (session cookie + CSRF token), or a first-party SPA with a bearer login
    token; ``decision=approve`` or ``deny``. Answers 303."""
    adapted = await read_oauth_request(request)
    if isinstance(adapted, OAuth2Response):
        return _error_page("invalid_request", adapted.body.get("error_description"))
    browser = cookies.read(request)
    user = spa
    # How the user signed in goes into the tokens: the login token's claims for the SPA, else
    # the browser session's.
    token = auth.claims if spa is not None and auth is not None else None
    login = clean_login_claims(token.claims) if token is not None else None
    if user is None:
        if browser is None or not browser.csrf_matches(adapted.form.get("csrf_token")):
            return _error_page("invalid_request", "The form expired; please start again.", 403)
        user = await browser_user(browser, session, users)
    if user is None:
        return _error_page("login_required", "Please sign in first.", 401)
    decision = adapted.form.get("decision")
    if decision not in ("approve", "deny"):
        return _error_page("invalid_request", "The decision must be approve or deny.")
    if spa is None and browser is not None:
        login = browser.login_claims()
    outcome = await service.decide(adapted, user.id, approve=decision == "approve", login=login)
    return _show(outcome, adapted, browser or cookies.start(user.id), user, after_post=True)


def _next_origin(next_url: str) -> list[str]:
    """The origin of the ``redirect_uri`` inside an authorize ``next`` URL.

    Browsers apply ``form-action`` to every redirect that follows the sign-in post, and signing in
    may end, after the authorization endpoint, at the client (remembered consent). authlib still
    verifies that URI before any redirect; this only keeps the browser from blocking it.
    """
    query = dict(parse_form(urlsplit(next_url).query))
    target = urlsplit(query.get("redirect_uri", ""))
    return (
        [f"{target.scheme}://{target.netloc}"]
        if target.scheme in ("http", "https") and target.netloc
        else []
    )


@router.get("/login", response_model=None)
async def login_page(request: Request, cookies: Cookies) -> Response:
    """The sign-in form."""
    browser = cookies.read(request) or cookies.start(None)
    response = _login_page(browser, safe_next(request.query_params.get("next")))
    cookies.write(response, browser)
    return response


def _login_page(
    browser: BrowserSession,
    next_url: str,
    *,
    error: str = "",
    email: str = "",
    status: int = 200,
    headers: dict[str, str] | None = None,
) -> Response:
    response = render_page(
        "oauth/login.html.j2",
        {
            "csrf_token": browser.csrf,
            "next": next_url,
            "client_name": "",
            "error": error,
            "email": email,
        },
        status=status,
        form_targets=_next_origin(next_url),
    )
    # Retry-After of a lockout: the page says it in words, the header for the browser.
    response.headers.update(headers or {})
    return response


def _mfa_page(
    browser: BrowserSession,
    next_url: str,
    mfa_token: str,
    methods: Sequence[str],
    *,
    error: str = "",
    sent: tuple[str, int] | None = None,
    status: int = 200,
    headers: dict[str, str] | None = None,
) -> Response:
    response = render_page(
        "oauth/mfa.html.j2",
        {
            "csrf_token": browser.csrf,
            "next": next_url,
            "mfa_token": mfa_token,
            "methods": list(methods),
            "has_code": any(m not in ("recovery_code", "webauthn") for m in methods),
            "error": error,
            "sent_to": sent[0] if sent else "",
            "sent_minutes": sent[1] if sent else 0,
        },
        status=status,
        form_targets=_next_origin(next_url),
    )
    # Retry-After of a 429 or 503: the page says it in words, the header for the browser.
    response.headers.update(headers or {})
    return response


def sms_sent(answer: Mapping[str, Any]) -> tuple[str, int] | None:
    """Where the code of :meth:`MfaService.challenge`'s answer for the SMS factor went (the
    masked number) and for how many minutes it is good; ``None`` when nothing was sent."""
    sent = answer.get("challenge")
    if not isinstance(sent, Mapping) or not isinstance(sent.get("sent_to"), str):
        return None
    seconds = sent.get("expires_in")
    minutes = max(1, seconds // 60) if isinstance(seconds, int) else 5
    return str(sent["sent_to"]), minutes


def sms_refusal(exc: HttpError) -> tuple[str, int]:
    """What a page says, and its status, when no code could be texted: the factor is not set up
    (422), too many codes or wrong answers (429), the SMS provider failed (503)."""
    if isinstance(exc, ValidationError):
        return "Text messages are not set up as a second factor for your account.", 422
    return exc.message, exc.status_code


def lockout_message(exc: TooManyRequestsError) -> str:
    """What a sign-in or step-up page says when a lockout (429) refuses the attempt: the wait in
    whole minutes, rounded up from ``Retry-After`` (the services' own messages count seconds,
    which reads oddly for a 15-minute lockout)."""
    minutes = max(1, math.ceil(exc.retry_after / 60))
    return f"Too many attempts. Try again in {minutes} minute{'' if minutes == 1 else 's'}."


def _client(request: Request) -> MfaClient:
    return MfaClient(
        ip=request.client.host if request.client else None,
        user_agent=request.headers.get("user-agent"),
    )


@router.post("/login", response_model=None)
async def login(
    request: Request,
    cookies: Cookies,
    logins: Inject[BrowserLoginService],
    policy: Inject[MfaPolicyService],
    login_tokens: Inject[MfaLoginTokens],
    session: Inject[AsyncSession],
) -> Response:
    """Check the credentials; on success a new session (new CSRF token) and a 303 onwards, or
    for a user with MFA the second step's form."""
    form = dict(parse_form(await request.body()))
    browser = cookies.read(request)
    next_url = safe_next(form.get("next"))
    if browser is None or not browser.csrf_matches(form.get("csrf_token")):
        return _error_page("invalid_request", "The form expired; please start again.", 403)
    email, password = form.get("email", ""), form.get("password", "")
    ip = request.client.host if request.client else None
    try:
        user = await logins.attempt(email, password, ip) if email and password else None
    except TooManyRequestsError as exc:
        # A person at a browser gets the form again, not the API's JSON body.
        return _login_page(
            browser,
            next_url,
            error=lockout_message(exc),
            email=email,
            status=429,
            headers=exc.headers,
        )
    if user is None:
        return _login_page(
            browser,
            next_url,
            error="These credentials do not match our records.",
            email=email,
            status=401,
        )
    methods = await policy.methods(session, user)
    if methods:
        return _mfa_page(browser, next_url, await login_tokens.issue(user.id), methods)
    if await policy.enrolment_overdue(session, user):
        return _login_page(
            browser,
            next_url,
            error="Your account must set up a second factor before it can sign in here.",
            email=email,
            status=403,
        )
    response = _redirect(next_url, after_post=True)
    cookies.write(response, cookies.start(user.id, amr=["pwd"]))
    return response


@router.post("/login/mfa", response_model=None)
async def login_second_factor(
    request: Request, cookies: Cookies, mfa: Inject[MfaService], clock: Inject[MfaClock]
) -> Response:
    """The second step of signing in: a code, a recovery code or a passkey assertion for the
    ``mfa_token`` the first step gave; on success a new session, which records the second
    factor's time (the step-up pages ask it), and a 303 onwards."""
    form = dict(parse_form(await request.body()))
    browser = cookies.read(request)
    next_url = safe_next(form.get("next"))
    if browser is None or not browser.csrf_matches(form.get("csrf_token")):
        return _error_page("invalid_request", "The form expired; please start again.", 403)
    token = form.get("mfa_token", "")
    methods = [m for m in form.get("methods", "").split(",") if m]
    try:
        user, _, amr = await mfa.prove_login(token, form_proof(form), _client(request))
    except InvalidMfaTokenError:
        return _login_page(
            browser, next_url, error="Your sign-in expired; please sign in again.", status=401
        )
    except TooManyRequestsError as exc:
        # The user's second factor is locked out: the form again, with its token (should the
        # token expire during the wait, the next post asks for the password again).
        return _mfa_page(
            browser,
            next_url,
            token,
            methods,
            error=lockout_message(exc),
            status=429,
            headers=exc.headers,
        )
    except (SecondFactorFailedError, ValidationError):
        return _mfa_page(
            browser,
            next_url,
            token,
            methods,
            error="That code is not valid. Please try again.",
            status=401,
        )
    response = _redirect(next_url, after_post=True)
    cookies.write(response, cookies.start(user.id, mfa_at=clock.now(), amr=amr))
    return response


@router.post("/login/mfa/sms", include_in_schema=False, response_model=None)
async def login_text_code(request: Request, cookies: Cookies, mfa: Inject[MfaService]) -> Response:
    """The second step's "Text me a code" button: texts a code to the phone of the user the
    form's ``mfa_token`` names (the API's SMS challenge, with its send limits), then shows the
    form again saying where it went; the code field takes it."""
    form = dict(parse_form(await request.body()))
    browser = cookies.read(request)
    next_url = safe_next(form.get("next"))
    if browser is None or not browser.csrf_matches(form.get("csrf_token")):
        return _error_page("invalid_request", "The form expired; please start again.", 403)
    token = form.get("mfa_token", "")
    # The methods the first step listed: they only choose what the page shows; the service
    # checks the factor itself.
    methods = [m for m in form.get("methods", "").split(",") if m]
    try:
        answer = await mfa.challenge_for_token(token, SMS, _client(request))
    except InvalidMfaTokenError:
        return _login_page(
            browser, next_url, error="Your sign-in expired; please sign in again.", status=401
        )
    except HttpError as exc:
        error, status = sms_refusal(exc)
        return _mfa_page(
            browser, next_url, token, methods, error=error, status=status, headers=exc.headers
        )
    sent = sms_sent(answer)
    if sent is None:  # the phone went between the check and the send
        error, status = sms_refusal(ValidationError({"method": []}))
        return _mfa_page(browser, next_url, token, methods, error=error, status=status)
    if SMS not in methods:
        methods.append(SMS)  # so the page has the code field the text's code goes into
    return _mfa_page(browser, next_url, token, methods, sent=sent)
