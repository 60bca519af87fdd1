"""The framework's own audit trail: listeners writing to the ``auth`` and ``access`` logs.

``auth``: logins and failed logins, logouts, registrations, email verifications, password
changes and resets, and every MFA event. ``access``: roles and permissions given and taken,
OAuth2 clients created, changed, given a new secret or revoked, personal access tokens made,
tokens revoked. ``queue``: what an operator does in the queue dashboard
(:func:`log_queue_action`).

The events are dispatched after their change commits, so each entry is written and committed
on its own; a failed login (dispatched at once) is kept although the request fails. Entries
never hold a password, token, secret or code.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from foundry.activity.logger import activity
from foundry.auth import events as auth
from foundry.mfa import events as mfa
from foundry.oauth2 import events as oauth2
from foundry.permissions import events as access

__all__ = ["AUDIT_LISTENERS", "AUTH_LOG", "ACCESS_LOG", "QUEUE_LOG", "log_queue_action"]

AUTH_LOG = "auth"
ACCESS_LOG = "access"
QUEUE_LOG = "queue"


async def _user_event(user: Any, event: str, description: str, **properties: Any) -> None:
    pending = activity(AUTH_LOG).performed_on(user).caused_by(user).event(event)
    await pending.with_properties(properties).log(description)


async def registered(event: auth.Registered) -> None:
    """``auth``/``registered``."""
    await _user_event(event.user, "registered", "Registered")


async def logged_in(event: auth.Login) -> None:
    """``auth``/``login``."""
    await _user_event(event.user, "login", "Logged in")


async def login_failed(event: auth.LoginFailed) -> None:
    """``auth``/``login_failed``: the email tried and the client's address, no causer."""
    await (
        activity(AUTH_LOG)
        .caused_by_anonymous()
        .event("login_failed")
        .with_properties({"email": event.email, "ip": event.ip})
        .log("Login failed")
    )


async def logged_out(event: auth.Logout) -> None:
    """``auth``/``logout`` (``logout_everywhere`` for logout-all)."""
    if event.everywhere:
        await _user_event(event.user, "logout_everywhere", "Logged out everywhere")
    else:
        await _user_event(event.user, "logout", "Logged out")


async def verified(event: auth.Verified) -> None:
    """``auth``/``email_verified``."""
    await _user_event(event.user, "email_verified", "Email address verified")


async def password_changed(event: auth.PasswordChanged) -> None:
    """``auth``/``password_changed``."""
    await _user_event(event.user, "password_changed", "Password changed")


async def password_reset(event: auth.PasswordReset) -> None:
    """``auth``/``password_reset``."""
    await _user_event(event.user, "password_reset", "Password reset")


def _client(client: Any) -> dict[str, Any]:
    return {"ip": client.ip, "user_agent": client.user_agent}


async def mfa_enrolled(event: mfa.MfaEnrolled) -> None:
    """``auth``/``mfa_enrolled``."""
    await _user_event(
        event.user,
        "mfa_enrolled",
        "Second factor enrolled",
        method=event.method,
        label=event.label,
        **_client(event.client),
    )


async def mfa_disabled(event: mfa.MfaDisabled) -> None:
    """``auth``/``mfa_disabled``."""
    await _user_event(
        event.user,
        "mfa_disabled",
        "Second factor removed",
        method=event.method,
        label=event.label,
        **_client(event.client),
    )


async def mfa_verified(event: mfa.MfaVerified) -> None:
    """``auth``/``mfa_verified``."""
    await _user_event(
        event.user,
        "mfa_verified",
        "Second factor verified",
        method=event.method,
        **_client(event.client),
    )


async def mfa_failed(event: mfa.MfaFailed) -> None:
    """``auth``/``mfa_failed``."""
    await _user_event(
        event.user,
        "mfa_failed",
        "Second factor refused",
        method=event.method,
        **_client(event.client),
    )


async def recovery_code_used(event: mfa.RecoveryCodeUsed) -> None:
    """``auth``/``recovery_code_used``: how many are left, never the code."""
    await _user_event(
        event.user,
        "recovery_code_used",
        "Recovery code used",
        remaining=event.remaining,
        **_client(event.client),
    )


async def mfa_locked_out(event: mfa.MfaLockedOut) -> None:
    """``auth``/``mfa_locked_out``."""
    await _user_event(
        event.user, "mfa_locked_out", "Second factor locked out", **_client(event.client)
    )


async def mfa_reset(event: mfa.MfaReset) -> None:
    """``auth``/``mfa_reset``: by support staff, so the causer is the current one (``--as``)."""
    await (
        activity(AUTH_LOG)
        .performed_on(event.user)
        .event("mfa_reset")
        .with_properties({"reason": event.reason})
        .log("Second factors reset")
    )


_ACCESS_EVENTS: Mapping[type[access.AccessChanged], tuple[str, str, str]] = {
    access.RoleAssigned: ("role_assigned", "Roles assigned", "roles"),
    access.RoleRemoved: ("role_removed", "Roles removed", "roles"),
    access.PermissionGranted: ("permission_granted", "Permissions granted", "permissions"),
    access.PermissionRevoked: ("permission_revoked", "Permissions revoked", "permissions"),
}


async def access_changed(event: access.AccessChanged) -> None:
    """``access``/``role_assigned``, ``role_removed``, ``permission_granted``,
    ``permission_revoked``: the holder is the subject, the names are in ``properties``."""
    name, description, key = _ACCESS_EVENTS.get(
        type(event), ("access_changed", "Access changed", "names")
    )
    await (
        activity(ACCESS_LOG)
        .performed_on((event.holder_type, event.holder_id))
        .event(name)
        .with_properties({key: list(event.names), "team_id": event.team_id})
        .log(description)
    )


_CLIENT_EVENTS: Mapping[type[oauth2.OAuth2Event], tuple[str, str]] = {
    oauth2.ClientCreated: ("client_created", "OAuth2 client created"),
    oauth2.ClientUpdated: ("client_updated", "OAuth2 client updated"),
    oauth2.ClientSecretRegenerated: ("client_secret_regenerated", "OAuth2 client secret renewed"),
    oauth2.ClientRevoked: ("client_revoked", "OAuth2 client revoked"),
}


async def client_changed(event: oauth2.OAuth2Event) -> None:
    """``access``/``client_created``, ``client_updated``, ``client_secret_regenerated``,
    ``client_revoked``: the client's public id in ``properties``."""
    name, description = _CLIENT_EVENTS[type(event)]
    properties: dict[str, Any] = {"client_id": event.client_id}
    if isinstance(event, oauth2.ClientCreated):
        properties["name"] = event.name
    await activity(ACCESS_LOG).event(name).with_properties(properties).log(description)


async def token_created(event: oauth2.PersonalAccessTokenCreated) -> None:
    """``access``/``token_created``: the token's row is the subject, its name in ``properties``."""
    await (
        activity(ACCESS_LOG)
        .performed_on(("personal_access_tokens", event.token_id))
        .event("token_created")
        .with_properties({"name": event.name, "user_id": event.user_id})
        .log("Personal access token created")
    )


async def token_revoked(event: oauth2.TokenRevoked) -> None:
    """``access``/``token_revoked``."""
    await (
        activity(ACCESS_LOG)
        .event("token_revoked")
        .with_properties({"token_type": event.token_type, "client_id": event.client_id})
        .log("Token revoked")
    )


async def log_queue_action(
    action: str,
    description: str,
    properties: Mapping[str, Any] | None = None,
    *,
    causer: object | None = None,
) -> None:
    """``queue``/``action``: what an operator did in the queue dashboard.

    ``causer`` defaults to the current one (the dashboard's signed-in user)::

        await log_queue_action("failed_retried", "Failed jobs retried", {"ids": outcome.done})
    """
    pending = activity(QUEUE_LOG).event(action).with_properties(dict(properties or {}))
    if causer is not None:
        pending.caused_by(causer)
    await pending.log(description)


Listener = Callable[[Any], Any]

#: Event class -> the listener the activity provider registers for it.
AUDIT_LISTENERS: Mapping[type[Any], Listener] = {
    auth.Registered: registered,
    auth.Login: logged_in,
    auth.LoginFailed: login_failed,
    auth.Logout: logged_out,
    auth.Verified: verified,
    auth.PasswordChanged: password_changed,
    auth.PasswordReset: password_reset,
    mfa.MfaEnrolled: mfa_enrolled,
    mfa.MfaDisabled: mfa_disabled,
    mfa.MfaVerified: mfa_verified,
    mfa.MfaFailed: mfa_failed,
    mfa.RecoveryCodeUsed: recovery_code_used,
    mfa.MfaLockedOut: mfa_locked_out,
    mfa.MfaReset: mfa_reset,
    access.AccessChanged: access_changed,
    oauth2.ClientCreated: client_changed,
    oauth2.ClientUpdated: client_changed,
    oauth2.ClientSecretRegenerated: client_changed,
    oauth2.ClientRevoked: client_changed,
    oauth2.PersonalAccessTokenCreated: token_created,
    oauth2.TokenRevoked: token_revoked,
}
