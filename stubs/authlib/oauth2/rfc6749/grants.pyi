from typing import Any, ClassVar

from authlib.oauth2.rfc6749 import OAuth2Request

class BaseGrant:
    GRANT_TYPE: ClassVar[str | None]
    TOKEN_ENDPOINT_AUTH_METHODS: ClassVar[list[str]]
    request: OAuth2Request
    server: Any
    #: Set by ``validate_consent_request``: the verified redirect URI.
    redirect_uri: str | None
    def __init__(self, request: OAuth2Request, server: Any) -> None: ...
    @property
    def client(self) -> Any: ...
    def validate_requested_scope(self) -> None: ...
    def register_hook(self, hook_type: str, hook: Any) -> None: ...

class AuthorizationCodeGrant(BaseGrant):
    AUTHORIZATION_CODE_LENGTH: ClassVar[int]
    def validate_authorization_request(self) -> str: ...
    def validate_consent_request(self) -> None: ...

class ClientCredentialsGrant(BaseGrant): ...

class RefreshTokenGrant(BaseGrant):
    INCLUDE_NEW_REFRESH_TOKEN: ClassVar[bool]

class ResourceOwnerPasswordCredentialsGrant(BaseGrant): ...
