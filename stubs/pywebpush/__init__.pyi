# The part of pywebpush 2.5.0 Foundry uses: encrypting a message for a subscription (RFC 8291).
from collections.abc import Mapping
from typing import Any

class WebPushException(Exception):
    message: str
    def __init__(self, message: str, response: Any = None) -> None: ...

class WebPusher:
    def __init__(
        self,
        subscription_info: Mapping[str, Any],
        requests_session: Any = None,
        aiohttp_session: Any = None,
        verbose: bool = False,
    ) -> None: ...
    # A requests CaseInsensitiveDict: "body" (and "crypto_key", "salt" under aesgcm).
    def encode(self, data: bytes, content_encoding: str = "aes128gcm") -> Mapping[str, bytes]: ...
