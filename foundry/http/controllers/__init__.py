"""Thin controllers: one router module per resource, registered in :mod:`foundry.http.routes`."""

__all__: list[str] = []
