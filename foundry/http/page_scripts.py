"""The scripts of the framework's own pages, served by the app itself (no CDN, and no inline
script, so they run under the pages' Content-Security-Policy).

A page's script is served as one file: the shared modules it needs (``webauthn-json.js``) first,
then its own, read once per process.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from starlette.responses import Response

__all__ = ["STATIC_PATH", "script_response"]

STATIC_PATH = Path(__file__).resolve().parent / "static"


@cache
def _bundle(names: tuple[str, ...]) -> bytes:
    return b"\n".join((STATIC_PATH / name).read_bytes() for name in names)


def script_response(*names: str) -> Response:
    """``names`` (files of ``foundry/http/static``) in order, as one JavaScript response."""
    return Response(
        _bundle(names),
        media_type="text/javascript; charset=utf-8",
        headers={"Cache-Control": "no-cache"},
    )
