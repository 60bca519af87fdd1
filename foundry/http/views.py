"""HTML pages: Jinja2 templates from the app's ``resources/views``, then the framework's own
(``foundry/resources/views``: the OAuth2 pages), autoescaped, sent with anti-framing
headers (``X-Frame-Options: DENY``, CSP ``frame-ancestors 'none'``) whatever the settings say."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import Any

import jinja2
from starlette.responses import HTMLResponse

from foundry.config.base import BASE_PATH
from foundry.config.paths import FRAMEWORK_VIEWS_PATH

__all__ = ["PAGE_HEADERS", "page_headers", "render_page"]


def page_headers(form_targets: Sequence[str] = ()) -> dict[str, str]:
    """The headers of an HTML page; ``form_targets`` are extra origins a form may end up at.

    Browsers apply ``form-action`` to the redirects that follow a form post too, so the consent
    page must allow the client's (already verified) redirect origin or its 303 would be blocked.
    """
    form_action = " ".join(["'self'", *form_targets])
    return {
        "X-Frame-Options": "DENY",
        "Content-Security-Policy": (
            "default-src 'self'; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'; "
            f"base-uri 'none'; form-action {form_action}; object-src 'none'"
        ),
        "Cache-Control": "no-store",
        "Referrer-Policy": "no-referrer",
    }


PAGE_HEADERS = page_headers()


@lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader([BASE_PATH / "resources" / "views", FRAMEWORK_VIEWS_PATH]),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render_page(
    template: str,
    context: Mapping[str, Any],
    status: int = 200,
    *,
    form_targets: Sequence[str] = (),
) -> HTMLResponse:
    """Render ``template`` as an HTML response with the page headers."""
    html = _environment().get_template(template).render(**context)
    return HTMLResponse(html, status_code=status, headers=page_headers(form_targets))
