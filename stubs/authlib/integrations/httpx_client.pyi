from types import TracebackType
from typing import Any

import httpx

class AsyncOAuth2Client(httpx.AsyncClient):
    def __init__(
        self,
        client_id: str | None = ...,
        client_secret: str | None = ...,
        token_endpoint_auth_method: str | None = ...,
        scope: str | None = ...,
        redirect_uri: str | None = ...,
        token: dict[str, Any] | None = ...,
        code_challenge_method: str | None = ...,
        **kwargs: Any,
    ) -> None: ...
    async def __aenter__(self) -> AsyncOAuth2Client: ...
    async def __aexit__(
        self,
        exc_type: type[BaseException] | None = ...,
        exc_value: BaseException | None = ...,
        traceback: TracebackType | None = ...,
    ) -> None: ...
    def create_authorization_url(
        self, url: str, state: str | None = ..., code_verifier: str | None = ..., **kwargs: Any
    ) -> tuple[str, str]: ...
    async def fetch_token(
        self, url: str | None = ..., body: str = ..., method: str = ..., **kwargs: Any
    ) -> dict[str, Any]: ...
    async def refresh_token(
        self, url: str | None = ..., refresh_token: str | None = ..., **kwargs: Any
    ) -> dict[str, Any]: ...
    async def revoke_token(
        self, url: str, token: str | None = ..., token_type_hint: str | None = ..., **kwargs: Any
    ) -> httpx.Response: ...
    async def introspect_token(
        self, url: str, token: str | None = ..., token_type_hint: str | None = ..., **kwargs: Any
    ) -> httpx.Response: ...
