"""``TestClient``: an ``httpx.AsyncClient`` over ``ASGITransport`` answering ``TestResponse``."""

from __future__ import annotations

from collections.abc import Mapping
from types import TracebackType
from typing import Any, Self

import httpx
from starlette.types import ASGIApp

from foundry.testing.response import TestResponse

__all__ = ["TestClient"]


class TestClient:
    """Drive an ASGI app in-process: ``(await client.get("/health")).assert_ok()``.

    Default headers set with :meth:`with_headers` or :meth:`with_token` apply to every request;
    ``client`` is the peer address the app sees (rate limits are keyed by it).
    """

    __test__ = False  # not a pytest test class

    def __init__(
        self,
        app: ASGIApp,
        *,
        base_url: str = "http://testserver",
        client: tuple[str, int] = ("127.0.0.1", 50000),
    ) -> None:
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
