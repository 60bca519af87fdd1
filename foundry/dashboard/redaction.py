"""A job payload as the dashboard shows it: parsed, with secure fields redacted, never decrypted.

A secure job's sensitive fields are stored as ``{"$t": "enc", "v": "..."}`` (see
:mod:`foundry.jobs.payload`). The browser never gets the ciphertext either: the page could not
read it, and a copy of it outside the app is a copy nobody needs.
"""

from __future__ import annotations

import json
from typing import Any

__all__ = ["REDACTED", "job_name", "redacted_payload"]

#: What a sensitive field shows instead of its value.
REDACTED = "redacted"
#: Payload keys that say nothing to a reader and only lengthen the page.
_HIDDEN_KEYS = frozenset({"signature"})


def _redact(value: Any) -> Any:
    if isinstance(value, dict):
        if value.get("$t") == "enc":
            return REDACTED
        return {key: _redact(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_redact(item) for item in value]
    return value


def redacted_payload(text: str) -> dict[str, Any] | None:
    """The payload with every encrypted value replaced by ``"redacted"``; ``None`` when the text
    is not a JSON object (a corrupt row, shown raw by the caller)."""
    try:
        payload = json.loads(text)
    except ValueError:
        return None
    if not isinstance(payload, dict):
        return None
    return {key: _redact(value) for key, value in payload.items() if key not in _HIDDEN_KEYS}


def job_name(payload: dict[str, Any] | None) -> str:
    """The job's display name (its class path when it has none)."""
    if payload is None:
        return "(unreadable payload)"
    return str(payload.get("display_name") or payload.get("job") or "(unknown job)")
