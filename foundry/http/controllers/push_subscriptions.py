"""``/api/v1/push-subscriptions``: the signed-in user's Web Push subscriptions, and the VAPID
public key browsers subscribe with."""

from __future__ import annotations

import ipaddress
import socket
from typing import Any
from urllib.parse import urlsplit

from fastapi import APIRouter
from starlette.responses import Response

from foundry.config.app import AppSettings
from foundry.config.notification_channels import NotificationChannelsSettings
from foundry.http.auth import CurrentUser
from foundry.http.dependencies import Inject
from foundry.http.requests import Validated
from foundry.http.requests.push import DeletePushSubscriptionRequest, StorePushSubscriptionRequest
from foundry.kernel.errors import HttpError, NotFoundError, ValidationError
from foundry.notifications.public_network import LOCAL_HOSTS, is_public_address
from foundry.notifications.push.subscriptions import (
    PushRecipient,
    PushSubscriptions,
    SubscriptionKeys,
)
from foundry.notifications.push.vapid import VapidKeys, VapidNotConfigured
from foundry.notifications.tables.push_subscription import PushSubscription

__all__ = ["router"]

router = APIRouter(prefix="/push-subscriptions", tags=["notifications"])


class PushNotConfiguredError(HttpError):
    """404: the VAPID keys are not set, so this server offers no Web Push (nothing is down)."""

    status_code = 404
    error = "push_not_configured"
    default_message = "Web Push is not configured on this server."


# Names that are never a push service on the internet: this machine, mDNS, cloud-internal DNS.
_LOCAL_SUFFIXES = (".localhost", ".local", ".internal", ".localdomain", ".home.arpa")


def _address(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """``host`` as an IP address, in any spelling the HTTP client would connect to."""
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        pass
    try:
        # The legacy forms getaddrinfo still accepts: 127.1, 2130706433, 0x7f000001.
        return ipaddress.IPv4Address(socket.inet_aton(host))
    except OSError:
        return None


def _endpoint_problem(endpoint: str, production: bool) -> str | None:
    parts = urlsplit(endpoint)
    host = (parts.hostname or "").rstrip(".")
    if parts.scheme == "http" and host in LOCAL_HOSTS and not production:
        return None  # a push service running on this machine, in development and tests
    if parts.scheme != "https" or not host or parts.username or parts.password:
        return "The endpoint must be an https URL."
    local_name = host in LOCAL_HOSTS or host.endswith(_LOCAL_SUFFIXES)
    address = _address(host)
    # Push services have public names; an address inside the network (or a name for this
    # machine) would make the server post to its own neighbours on a user's say-so. Only this
    # machine's own names stay allowed outside production, as for http above. A name is not
    # resolved here: the push channel checks every address it connects to when sending
    # (foundry.notifications.public_network), which also covers a name that changes later.
    internal = local_name or (address is not None and not is_public_address(address))
    if internal and (production or host not in LOCAL_HOSTS):
        return "The endpoint must be a push service on the internet."
    return None


def _owner(user: Any) -> PushRecipient:
    owner = PushRecipient.of(user)
    assert owner is not None  # a signed-in user is a model with a table and an id
    return owner


def _show(subscription: PushSubscription) -> dict[str, Any]:
    return {
        "id": subscription.id,
        "endpoint": subscription.endpoint,
        "content_encoding": subscription.content_encoding,
        "created_at": subscription.created_at,
    }


@router.get("/key", responses={404: {"description": "Web Push is not configured"}})
async def key(settings: Inject[NotificationChannelsSettings]) -> dict[str, Any]:
    """The VAPID public key (``applicationServerKey`` for ``pushManager.subscribe``)."""
    try:
        keys = VapidKeys.from_settings(settings)
    except VapidNotConfigured:
        raise PushNotConfiguredError() from None
    return {"data": {"public_key": keys.public_key}}


@router.post("", status_code=201)
async def store(
    data: Validated[StorePushSubscriptionRequest],
    user: CurrentUser,
    subscriptions: Inject[PushSubscriptions],
    app: Inject[AppSettings],
) -> dict[str, Any]:
    """Save this browser's subscription for the user (again: its keys are updated)."""
    problem = _endpoint_problem(data.endpoint, app.env == "production")
    if problem is not None:
        raise ValidationError({"endpoint": [problem]})
    saved = await subscriptions.subscribe(
        _owner(user),
        SubscriptionKeys(
            endpoint=data.endpoint,
            p256dh=data.keys.p256dh,
            auth=data.keys.auth,
            content_encoding=data.content_encoding,
        ),
    )
    return {"data": _show(saved)}


@router.delete(
    "",
    status_code=204,
    response_model=None,
    responses={404: {"description": "The user has no subscription at this endpoint"}},
)
async def destroy(
    data: Validated[DeletePushSubscriptionRequest],
    user: CurrentUser,
    subscriptions: Inject[PushSubscriptions],
) -> Response:
    """Remove the user's subscription at ``endpoint`` (404 if they have none there)."""
    if not await subscriptions.unsubscribe(_owner(user), data.endpoint):
        raise NotFoundError()
    return Response(status_code=204)
