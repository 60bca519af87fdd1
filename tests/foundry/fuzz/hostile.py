"""Hostile requests for every route of an app: what the property-based test sends.

The routes come from the app itself (every ``APIRoute``), their path parameters and JSON bodies
from its OpenAPI document. What OpenAPI cannot say is listed here: the form fields the OAuth2
endpoints and pages read themselves, and the query parameters that list endpoints and pages read
from ``request.query_params`` (Spatie-style ``filter[...]``, ``sort``, pages, cursors).

Each value is either plausible (so a request can get past the other fields and reach deeper) or
hostile: NUL bytes, integers beyond any column, negative ones, Unicode digits ``int()`` refuses
or accepts, over-long strings, and values of the wrong JSON type.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI
from fastapi.routing import APIRoute
from hypothesis import strategies as st

__all__ = [
    "FORM_FIELDS",
    "HOSTILE_STRINGS",
    "Known",
    "Operation",
    "ROUTE_QUERY",
    "Request",
    "operations",
    "requests",
]

LONG = "x" * 5000

#: Strings that broke, or could break, a parser or a column: NUL bytes, Unicode digits ("²" is
#: ``isdigit()`` but not ``int()``; "٣" and "１２" are both), out-of-range numbers, over-long text.
HOSTILE_STRINGS: tuple[str, ...] = (
    "\x00",
    "ada\x00@example.com",
    "²",
    "٣",
    "１２",
    "-1",
    "0",
    str(2**31),
    str(-(2**31) - 1),
    str(2**63),
    "9" * 40,
    "1e309",
    "",
    " ",
    LONG,
    "a@" + "b" * 300 + ".com",
    "😀",
    "%00",
    "../../etc/passwd",
    "' OR 1=1 --",
    "null",
)
HOSTILE_INTEGERS: tuple[int, ...] = (-1, 0, 2**31, -(2**31) - 1, 2**63, 10**40, -(10**40))
WRONG_TYPES: tuple[Any, ...] = (None, True, 1.5, [], {}, ["\x00"], {"name": "\x00"}, [2**63])

#: Form fields the OAuth2 endpoints and pages read from the body (not in OpenAPI).
FORM_FIELDS: Mapping[tuple[str, str], tuple[str, ...]] = {
    ("POST", "/oauth/token"): (
        "grant_type",
        "client_id",
        "client_secret",
        "code",
        "redirect_uri",
        "code_verifier",
        "refresh_token",
        "scope",
        "device_code",
        "username",
        "password",
    ),
    ("POST", "/oauth/introspect"): ("token", "token_type_hint", "client_id", "client_secret"),
    ("POST", "/oauth/revoke"): ("token", "token_type_hint", "client_id", "client_secret"),
    ("POST", "/oauth/device/code"): ("client_id", "client_secret", "scope"),
    ("POST", "/oauth/authorize"): (
        "response_type",
        "client_id",
        "redirect_uri",
        "scope",
        "state",
        "code_challenge",
        "code_challenge_method",
        "csrf_token",
        "decision",
    ),
    ("POST", "/oauth/login"): ("email", "password", "next", "csrf_token"),
    ("POST", "/oauth/device"): ("user_code", "decision", "csrf_token"),
}

#: The OAuth2 authorization request, read from the query string by the authorization endpoint.
AUTHORIZE_QUERY: tuple[str, ...] = (
    "response_type",
    "client_id",
    "redirect_uri",
    "scope",
    "state",
    "code_challenge",
    "code_challenge_method",
    "prompt",
)
#: Query parameters some routes read themselves (so OpenAPI does not list them).
ROUTE_QUERY: Mapping[tuple[str, str], tuple[str, ...]] = {
    ("GET", "/oauth/authorize"): AUTHORIZE_QUERY,
    ("GET", "/oauth/device"): ("user_code",),
    ("GET", "/oauth/login"): ("next",),
}
#: Query parameters read from ``request.query_params``; sent to every route (others ignore them).
QUERY_KEYS: tuple[str, ...] = (
    "filter[name]",
    "filter[email]",
    "filter[team_id]",
    "sort",
    "include",
    "fields[roles]",
    "page",
    "per_page",
    "cursor",
    "signature",
    "expires",
)


@dataclass(frozen=True)
class Known:
    """Rows the test made, so plausible values can name things that exist."""

    user_id: int
    role_id: int
    permission_id: int
    token_id: int
    client_id: str
    client_secret: str
    role: str
    permission: str
    csrf_token: str


@dataclass(frozen=True)
class Operation:
    """One method on one route, with what it takes besides the query string."""

    method: str
    path: str
    path_params: Mapping[str, str] = field(default_factory=dict)  # name -> JSON schema type
    body: Mapping[str, Any] | None = None  # the JSON body's schema
    form: tuple[str, ...] = ()

    def __str__(self) -> str:
        return f"{self.method} {self.path}"


@dataclass(frozen=True)
class Request:
    """A request ready for httpx: ``client.request(method, url, **kwargs)``."""

    method: str
    url: str
    kwargs: Mapping[str, Any]


def _json_type(schema: Mapping[str, Any]) -> str:
    for option in schema.get("anyOf", [schema]):
        if option.get("type") not in (None, "null"):
            return str(option["type"])
    return "string"


def operations(app: FastAPI) -> list[Operation]:
    """Every method of every API route of ``app``, described from its OpenAPI document.

    Deletions and sign-outs come last, so the other routes of an example still find the rows
    it aims at and accept the admin's tokens (``logout-all`` ends every session issued before).
    """
    paths = app.openapi()["paths"]
    found: list[Operation] = []
    for route in app.routes:
        if not isinstance(route, APIRoute):
            continue
        for method in sorted(route.methods or ()):
            spec = paths.get(route.path_format, {}).get(method.lower(), {})
            path_params = {
                param["name"]: _json_type(param.get("schema", {}))
                for param in spec.get("parameters", [])
                if param["in"] == "path"
            }
            content = spec.get("requestBody", {}).get("content", {})
            body = content.get("application/json", {}).get("schema")
            found.append(
                Operation(
                    method,
                    route.path_format,
                    path_params,
                    body,
                    FORM_FIELDS.get((method, route.path_format), ()),
                )
            )
    return sorted(found, key=_ends_something)


def _ends_something(operation: Operation) -> bool:
    return operation.method == "DELETE" or operation.path.endswith(("/logout", "/logout-all"))


# Built once: hypothesis works out a strategy's properties (can it be empty, does it recurse...)
# for each new strategy object, and every field of every request built these afresh.
_HOSTILE: st.SearchStrategy[Any] = st.one_of(
    st.sampled_from(HOSTILE_STRINGS),
    st.sampled_from(HOSTILE_INTEGERS),
    st.sampled_from(WRONG_TYPES),
    st.text(max_size=12),
)
_HOSTILE_TEXT: st.SearchStrategy[str] = st.one_of(
    st.sampled_from(HOSTILE_STRINGS),
    st.sampled_from(HOSTILE_INTEGERS).map(str),
    st.text(max_size=12),
)


def _plausible(name: str, known: Known) -> Any:
    """A value a well-behaved client could send for a field of this name."""
    values: dict[str, Any] = {
        "email": "fuzz@example.com",
        "username": "admin@example.com",
        "name": "fuzz-thing",
        "guard_name": "api",
        "permissions": [known.permission],
        "roles": [known.role],
        "team_id": 1,
        "redirect_uris": ["https://client.example.com/callback"],
        "redirect_uri": "https://client.example.com/callback",
        "grants": ["authorization_code", "refresh_token"],
        "grant_type": "client_credentials",
        "scopes": ["profile"],
        "scope": "profile",
        "public": False,
        "expires_at": "2030-01-01T00:00:00Z",
        "client_id": known.client_id,
        "client_secret": known.client_secret,
        "response_type": "code",
        "code_challenge": "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
        "code_challenge_method": "S256",
        "token_type_hint": "refresh_token",
        "csrf_token": known.csrf_token,
        "decision": "approve",
        "page": "2",
        "per_page": "5",
        "sort": "-name",
        "include": "permissions",
        "filter[name]": "edit",
        "filter[email]": "example",
        "user_id": str(known.user_id),
        "role_id": str(known.role_id),
        "permission_id": str(known.permission_id),
        "token_id": str(known.token_id),
        "role": known.role,
        "permission": known.permission,
    }
    if name == "current_password":
        return "password"  # the factory's users' password
    if name.startswith("password"):
        return "correct horse battery staple"
    return values.get(name, "fuzz")


def _field(name: str, known: Known) -> st.SearchStrategy[Any]:
    return st.one_of(st.just(_plausible(name, known)), _HOSTILE)


def _text_field(name: str, known: Known) -> st.SearchStrategy[str]:
    plausible = _plausible(name, known)
    text = plausible if isinstance(plausible, str) else str(plausible)
    return st.one_of(st.just(text), _HOSTILE_TEXT)


@st.composite
def _json_body(draw: st.DrawFn, schema: Mapping[str, Any], known: Known) -> dict[str, Any]:
    names = list(schema.get("properties", {}))
    body = {name: draw(_field(name, known)) for name in names if draw(st.integers(0, 4))}
    if draw(st.integers(0, 5)) == 0:
        body[draw(st.sampled_from(("role", "is_admin", "\x00", LONG)))] = draw(_HOSTILE)
    return body


_RAW_BODIES: tuple[bytes, ...] = (
    b'{"name": ',
    b"\xff\xfe\x00",
    b"[]",
    b'"x"',
    b"null",
    b"1e999",
    b'{"name": 1e999}',
    # Past Python's 4300-digit limit for int(): json.loads raises ValueError, not a decode error.
    b'{"name": ' + b"9" * 5000 + b"}",
    # Deeper than the interpreter's recursion limit.
    b"[" * 100_000 + b"]" * 100_000,
    b'{"name": "\\ud800"}',
)


@st.composite
def requests(draw: st.DrawFn, operation: Operation, known: Known) -> Request:
    """A request for ``operation``: plausible or hostile path, query, header and body values."""
    path = operation.path
    for name in operation.path_params:
        value = draw(_text_field(name, known))
        path = path.replace("{" + name + "}", quote(value, safe="") or "%20")
    query_keys = draw(st.lists(st.sampled_from(QUERY_KEYS), max_size=3, unique=True))
    own = ROUTE_QUERY.get((operation.method, operation.path), ())
    if own:
        query_keys += draw(st.lists(st.sampled_from(own), unique=True))
    query = {key: draw(_text_field(key, known)) for key in query_keys}
    headers: dict[str, Any] = {}
    if draw(st.integers(0, 3)) == 0:
        headers["X-Team-ID"] = draw(_text_field("team_id", known)).encode()
    kwargs: dict[str, Any] = {"params": query, "headers": headers}
    if operation.form:
        names = draw(st.lists(st.sampled_from(operation.form), unique=True))
        kwargs["data"] = {name: draw(_text_field(name, known)) for name in names}
    elif operation.body is not None:
        shape = draw(st.integers(0, 9))
        if shape == 0:
            kwargs["content"] = draw(st.sampled_from(_RAW_BODIES))
            headers["Content-Type"] = "application/json"
        elif shape == 1:
            kwargs["json"] = draw(_HOSTILE)
        else:
            kwargs["json"] = draw(_json_body(operation.body, known))
    return Request(operation.method, path, kwargs)
