"""``GET /auth/passkeys``: a page where a signed-in user registers a passkey, and anyone signs in
with one, passwordless.

The page is the framework's template ``passkeys/index.html.j2`` (replace it from the app's
``resources/views/passkeys/``) and one script, served from here: no inline script, so it runs
under the pages' Content-Security-Policy. The script calls the JSON API of
:mod:`foundry.http.controllers.passkeys` and keeps the token in the page's memory only.
"""

from __future__ import annotations

from fastapi import APIRouter
from starlette.responses import Response

from foundry.http.page_scripts import script_response
from foundry.http.views import render_page

__all__ = ["page_router"]

_SCRIPT_URL = "/auth/passkeys/passkeys.js"


async def script() -> Response:
    """The page's script."""
    return script_response("webauthn-json.js", "passkeys.js")


def page_router(api_prefix: str = "/api/v1") -> APIRouter:
    """The page and its script; the page calls the passkey API under ``api_prefix``."""
    router = APIRouter(prefix="/auth/passkeys", include_in_schema=False)

    @router.get("", name="passkeys.page")
    async def page() -> Response:
        """The passkeys page."""
        return render_page("passkeys/index.html.j2", {"api": api_prefix, "script": _SCRIPT_URL})

    router.add_api_route("/passkeys.js", script, methods=["GET"], name="passkeys.script")
    return router
