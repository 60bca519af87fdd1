"""``/docs`` (Swagger UI) and ``/redoc`` (ReDoc), with every asset served by the app itself.

Swagger UI's and ReDoc's dist files come from the ``fastapi-offline`` package (Swagger UI:
Apache-2.0, ReDoc: MIT); the two small start-up scripts are ours
(``foundry/http/openapi/static``). No page names a CDN, and no page has an inline script, so
the pages run under a Content-Security-Policy that allows scripts from this origin only.
"""

from __future__ import annotations

from functools import cache
from html import escape
from importlib.resources import files
from importlib.resources.abc import Traversable

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import BaseRoute, Route

from foundry.kernel.errors import NotFoundError

__all__ = ["ASSETS_PATH", "DOCS_CONTENT_SECURITY_POLICY", "docs_routes"]

#: Where the pages' scripts, styles and icon are served.
ASSETS_PATH = "/docs/assets"

#: The pages' policy: scripts from this origin only; Swagger UI and ReDoc set inline styles and
#: use ``data:`` images, ReDoc runs a ``blob:`` worker.
DOCS_CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self' data:; worker-src 'self' blob:; "
    "connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'; "
    "object-src 'none'"
)

_VENDORED = files("fastapi_offline") / "static"
_OURS = files("foundry.http.openapi") / "static"
#: file name -> (where it is, its media type)
_ASSETS: dict[str, tuple[Traversable, str]] = {
    "swagger-ui-bundle.js": (_VENDORED / "swagger-ui-bundle.js", "text/javascript"),
    "swagger-ui.css": (_VENDORED / "swagger-ui.css", "text/css"),
    "redoc.standalone.js": (_VENDORED / "redoc.standalone.js", "text/javascript"),
    "favicon.png": (_VENDORED / "favicon.png", "image/png"),
    "swagger-init.js": (_OURS / "swagger-init.js", "text/javascript"),
    "oauth2-redirect.js": (_OURS / "oauth2-redirect.js", "text/javascript"),
}


#: ReDoc's sidebar credit shows a logo from Redocly's CDN; the page must reach nothing but the
#: app, so the served script points that one image at a blank one of its own.
_REDOC_CDN_LOGO = b"https://cdn.redoc.ly/redoc/logo-mini.svg"
_BLANK_IMAGE = b"data:image/svg+xml,%3Csvg xmlns=%22http://www.w3.org/2000/svg%22/%3E"


@cache
def _asset_bytes(name: str) -> bytes:
    content = _ASSETS[name][0].read_bytes()
    if name == "redoc.standalone.js":
        content = content.replace(_REDOC_CDN_LOGO, _BLANK_IMAGE)
    return content


def _page(title: str, head: str, body: str, headers: dict[str, str]) -> HTMLResponse:
    html = (
        '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)}</title>\n"
        f'<link rel="icon" type="image/png" href="{ASSETS_PATH}/favicon.png">\n'
        f"{head}</head>\n<body>\n{body}</body>\n</html>\n"
    )
    return HTMLResponse(html, headers=headers)


def docs_routes(
    *,
    title: str,
    openapi_url: str,
    docs_url: str = "/docs",
    redoc_url: str = "/redoc",
    content_security_policy: bool = True,
) -> list[BaseRoute]:
    """The routes of both pages, the OAuth2 redirect page and the assets."""
    headers = {"Cache-Control": "no-store"}
    if content_security_policy:
        headers["Content-Security-Policy"] = DOCS_CONTENT_SECURITY_POLICY
    redirect_url = docs_url + "/oauth2-redirect"
    spec = escape(openapi_url, quote=True)

    async def swagger_ui(request: Request) -> Response:
        head = f'<link rel="stylesheet" href="{ASSETS_PATH}/swagger-ui.css">\n'
        body = (
            f'<div id="swagger-ui" data-openapi-url="{spec}" '
            f'data-oauth2-redirect-url="{escape(redirect_url, quote=True)}"></div>\n'
            f'<script src="{ASSETS_PATH}/swagger-ui-bundle.js"></script>\n'
            f'<script src="{ASSETS_PATH}/swagger-init.js"></script>\n'
        )
        return _page(f"{title} - Swagger UI", head, body, headers)

    async def redoc(request: Request) -> Response:
        body = (
            f'<redoc spec-url="{spec}"></redoc>\n'
            f'<script src="{ASSETS_PATH}/redoc.standalone.js"></script>\n'
        )
        return _page(f"{title} - ReDoc", "", body, headers)

    async def oauth2_redirect(request: Request) -> Response:
        body = f'<script src="{ASSETS_PATH}/oauth2-redirect.js"></script>\n'
        return _page("Swagger UI: OAuth2 Redirect", "", body, headers)

    async def asset(request: Request) -> Response:
        name = request.path_params["name"]
        if name not in _ASSETS:
            raise NotFoundError(f"No documentation asset {name!r}.")
        return Response(
            _asset_bytes(name),
            media_type=_ASSETS[name][1],
            headers={"Cache-Control": "public, max-age=86400"},
        )

    return [
        Route(docs_url, swagger_ui, methods=["GET"], include_in_schema=False),
        Route(redirect_url, oauth2_redirect, methods=["GET"], include_in_schema=False),
        Route(redoc_url, redoc, methods=["GET"], include_in_schema=False),
        Route(ASSETS_PATH + "/{name}", asset, methods=["GET"], include_in_schema=False),
    ]
