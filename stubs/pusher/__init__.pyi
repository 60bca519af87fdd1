# The parts of the official Pusher server library (pusher 3.x) the tests call.
from typing import Any

class Pusher:
    def __init__(
        self,
        app_id: str,
        key: str,
        secret: str,
        ssl: bool = True,
        host: str | None = None,
        port: int | None = None,
        timeout: float = 5,
        cluster: str | None = None,
        **backend_options: Any,
    ) -> None: ...
    def trigger(
        self, channels: str | list[str], event_name: str, data: Any, socket_id: str | None = None
    ) -> dict[str, Any]: ...
    def trigger_batch(
        self, batch: list[dict[str, Any]] = ..., already_encoded: bool = False
    ) -> dict[str, Any]: ...
    def channels_info(
        self, prefix_filter: str | None = None, attributes: list[str] = ...
    ) -> dict[str, Any]: ...
    def channel_info(self, channel: str, attributes: list[str] = ...) -> dict[str, Any]: ...
    def users_info(self, channel: str) -> dict[str, Any]: ...
    def authenticate(
        self, channel: str, socket_id: str, custom_data: Any = None
    ) -> dict[str, Any]: ...
