"""How the broadcasting endpoints answer: the channel auth form and Pusher's HTTP API."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from foundry.http.openapi.components import VALIDATION_ERROR, error_response
from foundry.http.openapi.operations import OperationDoc, form_body, json_object, query_parameter

__all__ = ["broadcasting_operations"]

_STR = {"type": "string"}
_SIGNED = [
    query_parameter(name, "Pusher's request signature (see the Pusher HTTP API docs).")
    for name in ("auth_key", "auth_timestamp", "auth_version", "body_md5", "auth_signature")
]
_API_ERRORS = {
    400: error_response(400, "The body breaks Pusher's limits or is not JSON"),
    401: error_response(
        401, "The call is not signed with the app's secret, or signed too long ago"
    ),
    404: error_response(404, "No application has this id"),
}


def broadcasting_operations() -> dict[Callable[..., Any], OperationDoc]:
    """Endpoint function -> its :class:`OperationDoc`."""
    from foundry.http.controllers import broadcasting, pusher_api

    return {
        broadcasting.authorize_channel: OperationDoc(
            request_body=form_body({"socket_id": _STR, "channel_name": _STR}),
            success_content=json_object({"auth": _STR, "channel_data": _STR}, ["auth"]),
            responses={
                401: error_response(401, "No signed-in user (bearer token or browser session)"),
                403: error_response(403, "The channel's callback refuses this user"),
                422: error_response(
                    422, "A malformed socket id or channel name", schema=VALIDATION_ERROR
                ),
            },
        ),
        pusher_api.trigger: OperationDoc(
            parameters=_SIGNED, success_content=json_object({}), responses=_API_ERRORS
        ),
        pusher_api.trigger_batch: OperationDoc(
            parameters=_SIGNED, success_content=json_object({}), responses=_API_ERRORS
        ),
        pusher_api.channels: OperationDoc(
            parameters=_SIGNED,
            success_content=json_object({"channels": {"type": "object"}}, ["channels"]),
            responses=_API_ERRORS,
        ),
        pusher_api.channel: OperationDoc(
            parameters=_SIGNED,
            success_content=json_object({"occupied": {"type": "boolean"}}, ["occupied"]),
            responses=_API_ERRORS,
        ),
        pusher_api.channel_users: OperationDoc(
            parameters=_SIGNED,
            success_content=json_object({"users": {"type": "array"}}, ["users"]),
            responses=_API_ERRORS,
        ),
    }
