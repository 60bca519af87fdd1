from typing import Any, ClassVar

class IntrospectionEndpoint:
    ENDPOINT_NAME: ClassVar[str]
    CLIENT_AUTH_METHODS: ClassVar[list[str]]
    server: Any
    def __init__(self, server: Any = ...) -> None: ...
