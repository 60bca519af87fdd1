"""Rendering the dashboard's pages (Jinja2, autoescaped) with the dashboard's headers."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

import jinja2
from starlette.responses import HTMLResponse

from foundry.dashboard.assets import asset_versions
from foundry.dashboard.headers import PAGE_HEADERS
from foundry.dashboard.navigation import NAVIGATION

__all__ = ["render"]

_TEMPLATES = Path(__file__).parent / "templates"


@cache
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(_TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render(template: str, context: Mapping[str, Any], status: int = 200) -> HTMLResponse:
    """``template`` as an HTML response; ``versions`` (asset hashes) and ``navigation`` are added
    to the context."""
    html = (
        _environment()
        .get_template(template)
        .render(versions=asset_versions(), navigation=NAVIGATION, **context)
    )
    return HTMLResponse(html, status_code=status, headers=PAGE_HEADERS)
