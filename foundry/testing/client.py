"""``TestClient``: an ``httpx.AsyncClient`` over ``ASGITransport`` answering ``TestResponse``."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from types import TracebackType
from typing import Any, Self

import httpx
from starlette.types import ASGIApp

from foundry.auth.authenticatable import Authenticatable
from foundry.kernel.application import Application
from foundry.oauth2.models import OAuthClient
from foundry.testing.acting_as import client_token, user_token
from foundry.testing.response import TestResponse

__all__ = ["TestClient"]


class TestClient:
    """Drive an ASGI app in-process: ``(await client.get("/health")).assert_ok()``.

    Default headers set with :meth:`with_headers`, :meth:`with_token`, :meth:`acting_as` or
    :meth:`acting_as_client` apply to every request; ``client`` is the peer address the app sees
    (rate limits are keyed by it). ``application`` is the one whose keys sign the tokens of
    :meth:`acting_as`; by default the one ``create_app`` put on ``app.state.application``.
    """

    __test__ = False  # not a pytest test class

    def __init__(
        self,
        app: ASGIApp,
        *,
        base_url: str = "http://testserver",
        client: tuple[str, int] = ("127.0.0.1", 50000),
        application: Application | None = None,
    ) -> None:
        self.application = application or _served_application(app)
        self.http = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app, client=client),
            base_url=base_url,
            headers={"Accept": "application/json"},
        )

    def with_headers(self, headers: Mapping[str, str]) -> Self:
        """Send these headers on every following request."""
        self.http.headers.update(headers)
        return self

    def with_token(self, token: str, kind: str = "Bearer") -> Self:
        """Send ``Authorization: Bearer <token>`` on every following request."""
        return self.with_headers({"Authorization": f"{kind} {token}"})

    def acting_as(
        self,
        user: Authenticatable,
        scopes: Iterable[str] | None = None,
        *,
        client: OAuthClient | str | None = None,
    ) -> Self:
        """Send every following request as ``user``, with a token signed by the app's keys.

        Without ``scopes``: a first-party login token (every scope; the user's roles and
        permissions decide). With ``scopes=["posts:read"]``: an OAuth2 access token for the
        user carrying only those scopes (issued to ``client`` when given), so scope checks
        answer 403 ``insufficient_scope`` for anything else.
        """
        return self.with_token(user_token(self._application(), user, scopes, client=client))

    def acting_as_client(
        self, client: OAuthClient | str, scopes: Iterable[str] | None = None
    ) -> Self:
        """Send every following request as ``client`` itself (a ``client_credentials`` token).

        Machine to machine: no user. ``scopes`` defaults to every scope the client is allowed;
        asking an :class:`OAuthClient` for one it is not allowed raises ``ValueError``.
        """
        return self.with_token(client_token(self._application(), client, scopes))

    def _application(self) -> Application:
        if self.application is None:
            raise RuntimeError(
                "acting_as needs the application: build the client with "
                "TestClient(create_app(application)) or pass application=..."
            )
        return self.application

    def without_token(self) -> Self:
        """Stop sending an ``Authorization`` header."""
        self.http.headers.pop("Authorization", None)
        return self

    async def request(self, method: str, url: str, **kwargs: Any) -> TestResponse:
        """Send any request; keyword arguments are httpx's (``json=``, ``data=``, ...)."""
        return TestResponse(await self.http.request(method, url, **kwargs))

    async def get(self, url: str, **kwargs: Any) -> TestResponse:
        """GET ``url``."""
        return await self.request("GET", url, **kwargs)

    async def post(self, url: str, **kwargs: Any) -> TestResponse:
        """POST ``url``."""
        return await self.request("POST", url, **kwargs)

    async def put(self, url: str, **kwargs: Any) -> TestResponse:
        """PUT ``url``."""
        return await self.request("PUT", url, **kwargs)

    async def patch(self, url: str, **kwargs: Any) -> TestResponse:
        """PATCH ``url``."""
        return await self.request("PATCH", url, **kwargs)

    async def delete(self, url: str, **kwargs: Any) -> TestResponse:
        """DELETE ``url``."""
        return await self.request("DELETE", url, **kwargs)

    async def options(self, url: str, **kwargs: Any) -> TestResponse:
        """OPTIONS ``url``."""
        return await self.request("OPTIONS", url, **kwargs)

    async def aclose(self) -> None:
        """Close the underlying client."""
        await self.http.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()


def _served_application(app: ASGIApp) -> Application | None:
    state = getattr(app, "state", None)
    found = getattr(state, "application", None)
    return found if isinstance(found, Application) else None
