"""URLs of named routes: ``url_for("posts.show", post=1)`` (Laravel's ``route()`` helper).

In a request, Starlette's ``request.url_for("posts.show", post=1)`` gives the same URL on the
request's own host. Outside one (a mail, a job, a command), :func:`url_for` builds it on
``APP_URL``. A name that no route has, or a missing parameter, raises
``starlette.routing.NoMatchFound``.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI

from foundry.kernel.application import Application
from foundry.kernel.container import current_container

__all__ = ["url_for"]


def url_for(
    name: str, /, *, app: FastAPI | None = None, absolute: bool = True, **params: Any
) -> str:
    """The URL of the route named ``name`` with its path parameters filled in.

    Args:
        name: the route's name (``"posts.show"``).
        app: the HTTP app (default: the one the running application serves).
        absolute: prefix ``APP_URL`` (the default), else the path alone.
        **params: path parameters; a bound model is given by its id (``post=post.id``).
    """
    container = current_container()
    if app is None and not container.root.bound(FastAPI):
        raise RuntimeError("url_for() needs the HTTP app: build it with create_app() first")
    served = app or container.make(FastAPI)
    path = str(served.url_path_for(name, **{key: str(value) for key, value in params.items()}))
    if not absolute:
        return path
    return container.make(Application).settings.url.rstrip("/") + path
