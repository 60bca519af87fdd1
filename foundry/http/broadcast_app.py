"""The broadcasting server alone: what ``artisan broadcast:serve`` runs under uvicorn.

It serves the WebSocket endpoint (``/app/{key}``), ``POST /broadcasting/auth``, Pusher's HTTP
API (``/apps/{id}/...``) and ``/health``, with the application's providers, middleware and
channel authorization, but none of its other routes: for apps that run the WebSocket server
apart from the API (as Laravel Reverb runs apart from the PHP app).

``uvicorn foundry.http.broadcast_app:app`` builds it on first access, as
:mod:`foundry.http.app` does.
"""

from __future__ import annotations

from fastapi import FastAPI

from foundry.http import routes as foundry_routes
from foundry.http.app import create_app
from foundry.http.kernel import HttpKernel
from foundry.kernel.application import Application

__all__ = ["create_broadcast_app", "register"]


def register(kernel: HttpKernel) -> None:
    """The route file of the broadcasting server: health checks and the broadcasting routes."""
    foundry_routes.health(kernel)
    foundry_routes.broadcasting(kernel)


def create_broadcast_app(application: Application | None = None) -> FastAPI:
    """Build the broadcasting-only app for ``application`` (a fresh one if none)."""
    return create_app(application, routes=[__name__])


def __getattr__(name: str) -> FastAPI:
    # ``uvicorn foundry.http.broadcast_app:app`` looks the attribute up; build the app then, once.
    if name == "app":
        built = create_broadcast_app()
        globals()["app"] = built
        return built
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
