from typing import Any

class AuthorizationServerMetadata(dict[str, Any]):
    def validate(self) -> None: ...
