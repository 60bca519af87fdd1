"""``broadcast:serve``: the WebSocket server (Pusher protocol 7) apart from the app's API."""

from __future__ import annotations

from typing import Annotated

import typer

from foundry.config.broadcasting import BroadcastingSettings
from foundry.console.output import Output
from foundry.console.runtime import load_config

__all__ = ["APP_IMPORT", "broadcast_serve"]

#: What uvicorn imports: the broadcasting routes alone (a string: console never imports http).
APP_IMPORT = "foundry.http.broadcast_app:app"


def broadcast_serve(
    host: Annotated[
        str | None, typer.Option("--host", help="The host to serve on (REVERB_SERVER_HOST)")
    ] = None,
    port: Annotated[
        int | None,
        typer.Option("--port", min=1, max=65535, help="The port to serve on (REVERB_SERVER_PORT)"),
    ] = None,
    log_level: Annotated[
        str, typer.Option("--log-level", help="uvicorn's log level (critical ... trace)")
    ] = "info",
) -> None:
    """Serve the broadcasting server alone: /app/{key}, /broadcasting/auth, /apps/... and /health.

    Point the app's broadcaster at it with REVERB_HOST and REVERB_PORT. Several of these
    processes share channels through Redis with REVERB_SCALING_ENABLED=true.
    """
    settings = load_config().settings(BroadcastingSettings)
    host = host or settings.server_host
    port = port or settings.server_port
    import uvicorn

    Output().info(
        f"Broadcasting server running on [ws://{host}:{port}/app/{settings.app_key}]."
        " Press Ctrl+C to stop the server."
    )
    uvicorn.run(
        APP_IMPORT,
        host=host,
        port=port,
        log_level=log_level.lower(),
        access_log=False,
        # As `serve`: the app's ProxyHeadersMiddleware decides, from TRUSTED_PROXIES alone.
        proxy_headers=False,
    )
