"""How the framework's own controllers answer, beyond what their signatures tell FastAPI.

Keyed by endpoint function: the OAuth2 endpoints (form bodies, RFC 6749 errors), the browser
pages (HTML, redirects), JWKS (``application/jwk-set+json``), the resources the account and
admin routes return, and statuses their services raise (409 duplicates, 401 bad credentials).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from foundry.http.openapi.broadcasting_docs import broadcasting_operations
from foundry.http.openapi.components import (
    ERROR,
    OAUTH_ERROR,
    VALIDATION_ERROR,
    any_error_response,
    error_response,
)
from foundry.http.openapi.operations import (
    OperationDoc,
    form_body,
    html,
    json_object,
    oauth_error,
    query_parameter,
    redirect,
)
from foundry.http.openapi.security import BEARER

__all__ = ["framework_operations"]

_STR = {"type": "string"}
_INT = {"type": "integer"}
_BOOL = {"type": "boolean"}

_CLIENT_AUTH = {
    "client_id": {
        **_STR,
        "description": "With `client_secret` (or HTTP Basic), or alone for a " "public client.",
    },
    "client_secret": _STR,
}
_TOKEN_FORM = form_body(
    {
        "grant_type": {
            "type": "string",
            "enum": [
                "authorization_code",
                "client_credentials",
                "refresh_token",
                "password",
                "urn:ietf:params:oauth:grant-type:device_code",
            ],
        },
        "code": _STR,
        "redirect_uri": _STR,
        "code_verifier": _STR,
        "refresh_token": _STR,
        "device_code": _STR,
        "username": _STR,
        "password": _STR,
        "scope": {**_STR, "description": "Space-separated scopes."},
        **_CLIENT_AUTH,
    },
    ["grant_type"],
)
_TOKEN_RESPONSE = json_object(
    {
        "access_token": _STR,
        "token_type": {"type": "string", "examples": ["Bearer"]},
        "expires_in": _INT,
        "refresh_token": _STR,
        "scope": _STR,
    },
    ["access_token", "token_type"],
)
#: A login answers tokens, or (MFA) an ``mfa_token`` or an enrolment-only access token.
_LOGIN_RESPONSE = json_object(
    {
        "status": {
            "type": "string",
            "enum": ["authenticated", "mfa_required", "mfa_enrolment_required"],
        },
        "access_token": _STR,
        "token_type": {"type": "string", "examples": ["Bearer"]},
        "expires_in": _INT,
        "refresh_token": _STR,
        "mfa_token": _STR,
        "methods": {"type": "array", "items": _STR},
    },
    ["status"],
)
_MFA_401 = {401: error_response(401, "The mfa_token is invalid or spent, or the proof is wrong")}
_TOKEN_HINT = {"type": "string", "enum": ["access_token", "refresh_token"]}
_OAUTH_400 = {400: oauth_error("The request, grant or scope is invalid (RFC 6749 section 5.2)")}
_OAUTH_401 = {401: error_response(401, "The client failed to authenticate", schema=OAUTH_ERROR)}
_AUTHORIZE_PARAMETERS = [
    query_parameter("response_type", "`code`.", {"type": "string", "enum": ["code"]}),
    query_parameter("client_id", "The client asking."),
    query_parameter("redirect_uri", "One of the client's redirect URIs."),
    query_parameter("scope", "Space-separated scopes."),
    query_parameter("state", "Echoed back to the client."),
    query_parameter("code_challenge", "PKCE: BASE64URL(SHA256(code_verifier))."),
    query_parameter("code_challenge_method", "`S256`.", {"type": "string", "enum": ["S256"]}),
]
_DECISION = {"type": "string", "enum": ["approve", "deny"]}
_MESSAGE = json_object({"message": _STR}, ["message"])
_CLIENT = {
    "type": "object",
    "properties": {
        "client_id": _STR,
        "name": _STR,
        "redirect_uris": {"type": "array", "items": _STR},
        "grants": {"type": "array", "items": _STR},
        "scopes": {"type": "array", "items": _STR},
        "public": _BOOL,
        "first_party": _BOOL,
        "revoked": _BOOL,
        "created_at": {"type": ["string", "null"], "format": "date-time"},
    },
    "required": ["client_id", "name", "redirect_uris", "grants", "scopes", "public"],
}
_PERSONAL_TOKEN = {
    "type": "object",
    "properties": {
        "id": _INT,
        "name": _STR,
        "scopes": {"type": "array", "items": _STR},
    },
    "required": ["id", "name"],
}
_CONFLICT = {409: error_response(409, "It exists already")}
_TOO_MANY_JSON = error_response(429, "Too many attempts: retry after `Retry-After` seconds")
_HTML_ERRORS = {
    400: html("An error page: the request is invalid"),
    401: html("An error page: sign in first"),
    403: html("An error page: the form expired (CSRF)"),
}


#: The permission errors (an unknown role or permission, a guard mismatch) are 422s of the
#: domain: ``{"message", "error"}`` without ``errors``.
_PERMISSION_422 = {
    422: any_error_response(
        422,
        "Validation failed, or an unknown role or permission (`error` says which)",
        VALIDATION_ERROR,
        ERROR,
    )
}
_CONFLICT_OR_422 = {**_CONFLICT, **_PERMISSION_422}


def framework_operations() -> dict[Callable[..., Any], OperationDoc]:
    """Endpoint function -> its :class:`OperationDoc` (imported late: controllers import much)."""
    from foundry.http.controllers import (
        account_recovery,
        auth,
        health,
        jwks,
        mfa,
        oauth_authorize,
        oauth_clients,
        oauth_device,
        oauth_token,
        personal_access_tokens,
        roles,
        user_access,
    )
    from foundry.http.resources.permissions import (
        PermissionResource,
        RoleResource,
        UserPermissionsResource,
    )
    from foundry.http.resources.user import UserResource

    user = (UserResource, False, None)
    role, roles_ = (RoleResource, False, None), (RoleResource, True, None)
    permission = (PermissionResource, False, None)
    permissions_ = (PermissionResource, True, None)
    access = (UserPermissionsResource, False, None)
    too_many = {
        429: any_error_response(
            429, "Too many requests: retry after `Retry-After` seconds", ERROR, OAUTH_ERROR
        )
    }
    checks = {"type": "object", "additionalProperties": _STR, "examples": [{"database": "ok"}]}
    return {
        health.ready: OperationDoc(
            success_content=json_object({"status": _STR, "checks": checks}, ["status", "checks"])
        ),
        jwks.jwks: OperationDoc(
            success_content={
                "application/jwk-set+json": {
                    "schema": {
                        "type": "object",
                        "required": ["keys"],
                        "properties": {"keys": {"type": "array", "items": {"type": "object"}}},
                    }
                }
            }
        ),
        oauth_token.token: OperationDoc(
            request_body=_TOKEN_FORM,
            success_content=_TOKEN_RESPONSE,
            responses={**_OAUTH_400, **_OAUTH_401, **too_many},
        ),
        oauth_token.introspect: OperationDoc(
            request_body=form_body({"token": _STR, "token_type_hint": _TOKEN_HINT, **_CLIENT_AUTH}),
            success_content=json_object(
                {"active": _BOOL, "scope": _STR, "client_id": _STR, "sub": _STR, "exp": _INT},
                ["active"],
            ),
            responses={**_OAUTH_400, **_OAUTH_401, **too_many},
        ),
        oauth_token.revoke: OperationDoc(
            request_body=form_body({"token": _STR, "token_type_hint": _TOKEN_HINT, **_CLIENT_AUTH}),
            success_content=json_object({}),
            responses={**_OAUTH_400, **_OAUTH_401, **too_many},
        ),
        oauth_token.metadata: OperationDoc(
            success_content=json_object(
                {"issuer": _STR, "token_endpoint": _STR, "scopes_supported": {"type": "array"}},
                ["issuer", "token_endpoint"],
            )
        ),
        oauth_device.device_code: OperationDoc(
            request_body=form_body({"client_id": _STR, "scope": _STR, "client_secret": _STR}),
            success_content=json_object(
                {
                    "device_code": _STR,
                    "user_code": _STR,
                    "verification_uri": _STR,
                    "verification_uri_complete": _STR,
                    "expires_in": _INT,
                    "interval": _INT,
                },
                ["device_code", "user_code", "verification_uri", "expires_in"],
            ),
            responses={**_OAUTH_400, **_OAUTH_401, **too_many},
        ),
        oauth_authorize.authorize: OperationDoc(
            parameters=_AUTHORIZE_PARAMETERS,
            success_content=html("The consent page")["content"],
            responses={
                302: redirect("To the sign-in page, or back to the client with a code"),
                400: html("An error page: the request is invalid"),
            },
        ),
        oauth_authorize.decide: OperationDoc(
            # The consent form's session cookie, or a first-party SPA's login token.
            security=[{}, {BEARER: []}],
            request_body=form_body(
                {"decision": _DECISION, "csrf_token": _STR, "client_id": _STR, "scope": _STR}
            ),
            success_content=html("The consent page again")["content"],
            responses={
                303: redirect("Back to the client, with a code or an error"),
                **_HTML_ERRORS,
            },
        ),
        oauth_authorize.login_page: OperationDoc(
            parameters=[query_parameter("next", "Where to go once signed in.")],
            success_content=html("The sign-in form")["content"],
        ),
        oauth_authorize.login: OperationDoc(
            without_default_success=True,
            request_body=form_body(
                {"email": _STR, "password": _STR, "csrf_token": _STR, "next": _STR}
            ),
            responses={
                200: html("The second-factor form (users with MFA)"),
                303: redirect("Signed in: on to `next`"),
                401: html("The sign-in form again: wrong credentials"),
                403: html("An error page: the form expired (CSRF), or MFA must be enrolled"),
                429: _TOO_MANY_JSON,
            },
        ),
        oauth_authorize.login_second_factor: OperationDoc(
            without_default_success=True,
            request_body=form_body(
                {
                    "mfa_token": _STR,
                    "code": _STR,
                    "recovery_code": _STR,
                    "method": _STR,
                    "credential": _STR,
                    "csrf_token": _STR,
                    "next": _STR,
                }
            ),
            responses={
                303: redirect("Signed in: on to `next`"),
                401: html("The form again (wrong code), or the sign-in form (expired)"),
                403: html("An error page: the form expired (CSRF)"),
                429: _TOO_MANY_JSON,
            },
        ),
        oauth_device.device_page: OperationDoc(
            parameters=[query_parameter("user_code", "The code the device shows.")],
            success_content=html("The code form, or what the device asks for")["content"],
            responses={
                302: redirect("To the sign-in page"),
                400: html("The code form again: the code is invalid or expired"),
                429: html("The code form again: too many guesses"),
            },
        ),
        oauth_device.device_decision: OperationDoc(
            request_body=form_body({"user_code": _STR, "decision": _DECISION, "csrf_token": _STR}),
            success_content=html("Done: the device was allowed or denied")["content"],
            responses={**_HTML_ERRORS, 429: html("The code form again: too many guesses")},
        ),
        auth.login: OperationDoc(
            success_content=_LOGIN_RESPONSE,
            responses={401: error_response(401, "The credentials do not match")},
        ),
        auth.refresh: OperationDoc(
            success_content=_TOKEN_RESPONSE,
            responses={401: error_response(401, "The refresh token is invalid or expired")},
        ),
        auth.register: OperationDoc(success_content=_TOKEN_RESPONSE),
        mfa.status: OperationDoc(
            success_content=json_object({"data": {"type": "object"}}, ["data"])
        ),
        mfa.challenge: OperationDoc(
            success_content=json_object({"method": _STR, "challenge": {}}, ["method"]),
            responses={**_MFA_401, 429: _TOO_MANY_JSON},
        ),
        mfa.verify: OperationDoc(
            success_content=_TOKEN_RESPONSE, responses={**_MFA_401, 429: _TOO_MANY_JSON}
        ),
        mfa.step_up: OperationDoc(
            success_content=_TOKEN_RESPONSE, responses={**_MFA_401, 429: _TOO_MANY_JSON}
        ),
        mfa.recovery_codes: OperationDoc(
            success_content=json_object({"data": {"type": "object"}}, ["data"]),
            responses={
                422: error_response(422, "No second factor is enrolled", schema=VALIDATION_ERROR)
            },
        ),
        auth.change_password: OperationDoc(success_content=_TOKEN_RESPONSE),
        auth.me: OperationDoc(resource=user),
        auth.update_me: OperationDoc(resource=user),
        account_recovery.forgot_password: OperationDoc(success_content=_MESSAGE),
        account_recovery.reset_password: OperationDoc(success_content=_MESSAGE),
        account_recovery.send_verification: OperationDoc(success_content=_MESSAGE),
        account_recovery.verify_email: OperationDoc(
            success_content=_MESSAGE,
            responses={403: error_response(403, "The link is invalid, expired or tampered with")},
        ),
        roles.roles_index: OperationDoc(resource=roles_),
        roles.roles_store: OperationDoc(resource=role, responses=_CONFLICT_OR_422),
        roles.roles_show: OperationDoc(resource=role),
        roles.roles_update: OperationDoc(resource=role, responses=_CONFLICT_OR_422),
        roles.permissions_index: OperationDoc(resource=permissions_),
        roles.permissions_store: OperationDoc(resource=permission, responses=_CONFLICT_OR_422),
        roles.permissions_show: OperationDoc(resource=permission),
        roles.permissions_update: OperationDoc(resource=permission, responses=_CONFLICT_OR_422),
        user_access.effective: OperationDoc(resource=access),
        user_access.assign_roles: OperationDoc(resource=access, responses=_PERMISSION_422),
        user_access.sync_roles: OperationDoc(resource=access, responses=_PERMISSION_422),
        user_access.remove_role: OperationDoc(resource=access, responses=_PERMISSION_422),
        user_access.give_permissions: OperationDoc(resource=access, responses=_PERMISSION_422),
        user_access.sync_permissions: OperationDoc(resource=access, responses=_PERMISSION_422),
        user_access.revoke_permission: OperationDoc(resource=access, responses=_PERMISSION_422),
        oauth_clients.index: OperationDoc(
            success_content=json_object({"data": {"type": "array", "items": _CLIENT}}, ["data"])
        ),
        oauth_clients.store: OperationDoc(
            success_content=json_object({"data": _CLIENT, "client_secret": _STR}, ["data"])
        ),
        oauth_clients.show: OperationDoc(success_content=json_object({"data": _CLIENT}, ["data"])),
        oauth_clients.update: OperationDoc(
            success_content=json_object({"data": _CLIENT}, ["data"])
        ),
        oauth_clients.regenerate_secret: OperationDoc(
            success_content=json_object({"data": _CLIENT, "client_secret": _STR}, ["data"])
        ),
        personal_access_tokens.index: OperationDoc(
            success_content=json_object(
                {"data": {"type": "array", "items": _PERSONAL_TOKEN}}, ["data"]
            )
        ),
        personal_access_tokens.store: OperationDoc(
            success_content=json_object({"data": _PERSONAL_TOKEN, "access_token": _STR}, ["data"])
        ),
        **broadcasting_operations(),
    }
