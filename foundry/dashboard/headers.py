"""The dashboard's response headers: a strict CSP (no inline script or style), no framing."""

from __future__ import annotations

__all__ = ["ASSET_CACHE", "PAGE_HEADERS"]

#: Every script, style and font comes from the app itself; nothing inline, nothing framed.
PAGE_HEADERS: dict[str, str] = {
    "Content-Security-Policy": (
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "font-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; "
        "form-action 'self'"
    ),
    "X-Frame-Options": "DENY",
    "Cache-Control": "no-store",
    "Referrer-Policy": "same-origin",
}

#: An asset asked for with its content hash (``?v=``) never changes: browsers keep it a year.
ASSET_CACHE = "public, max-age=31536000, immutable"
