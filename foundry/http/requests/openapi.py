"""The JSON schema a form request documents in OpenAPI, as one self-contained object.

The dependency reads the body itself (so strictness applies to the JSON as sent), which leaves
FastAPI nothing to document; the dependency declares an untyped ``Body`` carrying this schema
instead. Nested models are inlined: their ``#/$defs/...`` references would not resolve inside
an OpenAPI document.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

__all__ = ["body_schema"]

_DEFS_PREFIX = "#/$defs/"


def _inline(node: Any, defs: dict[str, Any], seen: frozenset[str]) -> Any:
    if isinstance(node, list):
        return [_inline(item, defs, seen) for item in node]
    if not isinstance(node, dict):
        return node
    ref = node.get("$ref")
    if isinstance(ref, str) and ref.startswith(_DEFS_PREFIX):
        name = ref[len(_DEFS_PREFIX) :]
        if name in defs and name not in seen:
            siblings = {k: v for k, v in node.items() if k != "$ref"}
            return {**_inline(defs[name], defs, seen | {name}), **siblings}
        # A model that contains itself cannot be inlined: document it as any object.
        return {"type": "object", "title": name}
    return {key: _inline(value, defs, seen) for key, value in node.items() if key != "$defs"}


def body_schema(model: type[BaseModel]) -> dict[str, Any]:
    """``model``'s JSON schema (validation mode) with every nested model inlined."""
    schema = model.model_json_schema(mode="validation")
    defs = dict(schema.get("$defs", {}))
    inlined = _inline(schema, defs, frozenset())
    assert isinstance(inlined, dict)  # a model's schema is an object
    return inlined
