"""Builds the authlib request adapter from a Starlette request, reading the body first.

authlib is synchronous, so the form is read here (asynchronously) before any authlib call, and
Starlette's case-insensitive ``Headers`` are handed over as they are: authlib looks up
``Authorization`` with that exact case, which a plain dict of lower-case names would miss.
"""

from __future__ import annotations

from starlette.requests import Request

from foundry.oauth2.request import MAX_PARAMS_LENGTH, FoundryOAuth2Request, parse_form
from foundry.oauth2.responses import error_response
from foundry.oauth2.server import OAuth2Response

__all__ = ["FORM_TYPE", "NO_STORE", "read_oauth_request", "refuse_query_token"]

FORM_TYPE = "application/x-www-form-urlencoded"
#: RFC 6749 section 5.1: token responses must not be cached.
NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}


async def read_oauth_request(request: Request) -> FoundryOAuth2Request | OAuth2Response:
    """The adapter, or an ``invalid_request`` answer for a body that is not a form."""
    form: list[tuple[str, str]] = []
    if request.method == "POST":
        content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if content_type != FORM_TYPE:
            return error_response(
                "invalid_request", f"The request body must be {FORM_TYPE}.", status=400
            )
        body = await request.body()
        if len(body) > MAX_PARAMS_LENGTH:
            return error_response("invalid_request", "The request body is too large.")
        form = parse_form(body)
        if any("\x00" in name or "\x00" in value for name, value in form):
            # Nothing stores a NUL byte (PostgreSQL refuses it): a client id holding one is
            # an invalid request, not a server error.
            return error_response("invalid_request", "The request contains a NUL byte.")
    # The raw query string rather than ``request.url.query``: building Starlette's URL costs more
    # than the rest of this function, and only error answers ever read the URL.
    raw_query = request.scope.get("query_string", b"")
    query = parse_form(raw_query) if raw_query else []
    refused = refuse_query_token(query)
    if refused is not None:
        return refused
    return FoundryOAuth2Request(
        request.method, lambda: str(request.url), request.headers, query=query, form=form
    )


def refuse_query_token(query: list[tuple[str, str]]) -> OAuth2Response | None:
    """RFC 9700 section 2.5: access tokens never travel in a URL (logs, Referer)."""
    if any(name == "access_token" for name, _ in query):
        return error_response(
            "invalid_request", "Access tokens are not accepted in the query string."
        )
    return None
