"""RFC 6749 error answers and the client-authentication checks done before authlib runs."""

from __future__ import annotations

import base64
import binascii
from urllib.parse import unquote

from foundry.oauth2.request import FoundryOAuth2Request
from foundry.oauth2.server import OAuth2Response

__all__ = ["error_response", "malformed_basic", "normalize", "presented_client_id"]

_JSON = [("Content-Type", "application/json")]


def error_response(error: str, description: str, status: int = 400) -> OAuth2Response:
    """An RFC 6749 section 5.2 error body (401 ``invalid_client`` adds the challenge)."""
    headers = list(_JSON)
    if status == 401:
        headers.append(("WWW-Authenticate", f'Basic realm="oauth", error="{error}"'))
    return OAuth2Response(status, {"error": error, "error_description": description}, headers)


def presented_client_id(request: FoundryOAuth2Request) -> str | None:
    """The client id of an ``Authorization: Basic`` header, else of the form."""
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "basic" and value:
        try:
            decoded = base64.b64decode(value.strip(), validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            return None
        # RFC 6749 section 2.3.1: both halves are form-urlencoded.
        return unquote(decoded.partition(":")[0]) or None
    return request.form.get("client_id") or None


def malformed_basic(request: FoundryOAuth2Request) -> bool:
    """An ``Authorization: Basic`` header that is not base64 of UTF-8 ``id:secret`` (authlib
    would crash decoding it)."""
    scheme, _, value = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "basic":
        return False
    try:
        decoded = base64.b64decode(value.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return True
    return ":" not in decoded


_DESCRIPTIONS = {
    "invalid_client": "Client authentication failed.",
    "invalid_grant": "The grant is invalid, expired, revoked or was issued to another client.",
    "invalid_request": "The request is missing a parameter or is malformed.",
    "invalid_scope": "The requested scope is invalid, unknown or not allowed for this client.",
    "unauthorized_client": "The client may not use this grant type.",
    "unsupported_grant_type": "The grant type is not supported.",
    "unsupported_token_type": "The token type is not supported.",
}


def normalize(response: OAuth2Response) -> OAuth2Response:
    """Every error carries a description; client authentication failures are 401 with a
    ``WWW-Authenticate`` challenge (authlib answers 400 when the secret came in the form)."""
    body = response.body if isinstance(response.body, dict) else {}
    error = body.get("error")
    if not isinstance(error, str):
        return response
    description = str(body.get("error_description") or _DESCRIPTIONS.get(error, error))
    if error == "invalid_client":
        return error_response("invalid_client", description, 401)
    if "error_description" not in body:
        return OAuth2Response(
            response.status, {**body, "error_description": description}, response.headers
        )
    return response
