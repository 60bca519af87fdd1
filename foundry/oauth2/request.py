"""The request adapter: an authlib ``OAuth2Request`` built from parameters read beforehand.

authlib's grants and endpoints are synchronous and read ``request.form``/``request.args`` as plain
mappings, so the HTTP layer reads the body first (asynchronously) and hands over the parsed
pairs. Every value is kept (``datalist``) so a duplicated parameter can be refused, as RFC 6749
section 3.1 requires.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any
from urllib.parse import parse_qsl

from authlib.oauth2.rfc6749 import OAuth2Payload, OAuth2Request

__all__ = ["FormPayload", "FoundryOAuth2Request", "parse_form", "unsafe_parameter"]

#: Longest urlencoded body or query string the OAuth2 endpoints read.
MAX_PARAMS_LENGTH = 16_384


def parse_form(raw: bytes | str) -> list[tuple[str, str]]:
    """``application/x-www-form-urlencoded`` pairs in order; undecodable input gives none."""
    text = raw.decode("utf-8", errors="replace") if isinstance(raw, bytes) else raw
    if len(text) > MAX_PARAMS_LENGTH:
        return []
    return parse_qsl(text, keep_blank_values=True, max_num_fields=256)


def _nqschar(value: str) -> bool:
    # RFC 6749 appendix A: printable ASCII without '"' and '\\' (NQSCHAR).
    return all(0x20 <= ord(c) <= 0x7E and c not in '"\\' for c in value)


def unsafe_parameter(data: Mapping[str, str], names: Sequence[str]) -> str | None:
    """The first of ``names`` whose value is outside RFC 6749's character set.

    authlib copies ``response_type`` and ``redirect_uri`` into error descriptions and raises
    ``ValueError`` (a 500) when they hold a quote, a backslash or non-ASCII text; such values are
    invalid anyway, so they are refused before authlib sees them.
    """
    return next((name for name in names if not _nqschar(data.get(name, ""))), None)


class FormPayload(OAuth2Payload):
    """authlib's payload view: the first value of each name, and every value."""

    def __init__(self, pairs: Sequence[tuple[str, str]]) -> None:
        self._data: dict[str, str] = {}
        self._datalist: dict[str, list[str]] = {}
        for name, value in pairs:
            self._data.setdefault(name, value)
            self._datalist.setdefault(name, []).append(value)

    @property
    def data(self) -> Mapping[str, str]:
        """First value of each parameter."""
        return self._data

    @property
    def datalist(self) -> Mapping[str, list[str]]:
        """Every value of each parameter."""
        return self._datalist

    def duplicated(self, names: Sequence[str] | None = None) -> list[str]:
        """Names sent more than once (of ``names``, or of all)."""
        wanted = self._datalist if names is None else names
        return [name for name in wanted if len(self._datalist.get(name, ())) > 1]


class FoundryOAuth2Request(OAuth2Request):
    """One OAuth2 request for authlib: method, URL, headers, query and form pairs.

    ``headers`` must be Starlette's case-insensitive ``Headers`` (or another case-insensitive
    mapping): authlib looks up ``Authorization`` with that exact case. ``uri`` may be a callable
    building the URL when first read: the token endpoint never needs it on success, and
    Starlette's ``request.url`` costs more than the rest of reading the request.
    """

    def __init__(
        self,
        method: str,
        uri: str | Callable[[], str],
        headers: Mapping[str, str],
        *,
        query: Sequence[tuple[str, str]] = (),
        form: Sequence[tuple[str, str]] = (),
    ) -> None:
        # OAuth2Request.__init__ refuses http:// URLs unless AUTHLIB_INSECURE_TRANSPORT is set in
        # the process environment. TLS is the deployment's job here (proxies terminate it, HSTS
        # in production), so the attributes are set directly instead.
        self.method = method
        self._uri = uri
        self.headers = headers
        self._body = None
        self._scope = None
        self.client = None
        self.auth_method = None
        self.user = None
        self.authorization_code = None
        self.refresh_token = None
        self.credential = None
        self._args = FormPayload(query)
        self._form = FormPayload(form)
        # Authorization requests carry their parameters in the query (GET) or the form (POST).
        self.payload = self._form if method == "POST" else self._args

    @property
    def uri(self) -> str:
        """The request URL."""
        uri = self._uri
        if not isinstance(uri, str):
            uri = self._uri = uri()
        return uri

    @uri.setter
    def uri(self, value: str) -> None:
        self._uri = value

    @property
    def args(self) -> Mapping[str, str]:
        """Query parameters (first values)."""
        return self._args.data

    @property
    def form(self) -> Mapping[str, str]:
        """Form parameters (first values)."""
        return self._form.data

    @property
    def params(self) -> FormPayload:
        """The parameters of this request (form for POST, query otherwise)."""
        assert isinstance(self.payload, FormPayload)
        return self.payload

    def raw(self) -> dict[str, Any]:
        """The parameters as a dict of first values (for templates re-posting them)."""
        return dict(self.params.data)
