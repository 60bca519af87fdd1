"""``serve``: run the application under uvicorn (``foundry.http.app:app``)."""

from __future__ import annotations

from typing import Annotated

import typer

from foundry.console.context import CommandError
from foundry.console.output import Output

__all__ = ["APP_IMPORT", "serve"]

#: What uvicorn imports; a string so --reload and --workers can import it in each process.
APP_IMPORT = "foundry.http.app:app"


def serve(
    host: Annotated[str, typer.Option("--host", help="The host address to serve on")] = "127.0.0.1",
    port: Annotated[
        int, typer.Option("--port", min=1, max=65535, help="The port to serve on")
    ] = 8000,
    reload: Annotated[
        bool, typer.Option("--reload", help="Restart when code changes (development)")
    ] = False,
    workers: Annotated[
        int, typer.Option("--workers", min=1, help="Worker processes (not with --reload)")
    ] = 1,
    log_level: Annotated[
        str, typer.Option("--log-level", help="uvicorn's log level (critical ... trace)")
    ] = "info",
) -> None:
    """Serve the application with uvicorn.

    For production, run several workers (--workers N) against PostgreSQL and Redis; nothing the
    app needs lives only in one worker's memory.
    """
    if reload and workers > 1:
        raise CommandError("--reload runs a single process: drop --workers or --reload.")
    import uvicorn

    Output().info(f"Server running on [http://{host}:{port}]. Press Ctrl+C to stop the server.")
    uvicorn.run(
        APP_IMPORT,
        host=host,
        port=port,
        reload=reload,
        workers=None if reload else workers,
        log_level=log_level.lower(),
        # The app's own middleware logs each request as JSON with its request id.
        access_log=False,
        # uvicorn would believe X-Forwarded-For from 127.0.0.1 (FORWARDED_ALLOW_IPS) on its own;
        # the app's ProxyHeadersMiddleware decides instead, from TRUSTED_PROXIES alone.
        proxy_headers=False,
    )
