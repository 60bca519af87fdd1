"""Thin controllers: one router module per resource, registered in :mod:`app.http.routes`."""

__all__: list[str] = []
