"""Reading Spatie-style query parameters: ``filter[x]``, ``sort``, ``include``, ``fields[t]``."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from foundry.kernel.errors import BadRequestError

__all__ = ["QueryParameters", "parse_query_parameters"]

_BRACKETED = re.compile(r"^(filter|fields)\[([A-Za-z0-9_.\-]+)\]$")
_SCALAR_KEYS = frozenset({"sort", "include"})


def _is_bracketed_kind(key: str) -> bool:
    return key in ("filter", "fields") or key.startswith(("filter[", "fields["))


@dataclass(frozen=True)
class QueryParameters:
    """What the client asked for; empty when it asked for nothing."""

    filters: dict[str, str] = field(default_factory=dict)
    sorts: list[str] = field(default_factory=list)
    includes: list[str] = field(default_factory=list)
    fields: dict[str, list[str]] = field(default_factory=dict)


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.split(",") if part.strip()]


def parse_query_parameters(items: Iterable[tuple[str, str]]) -> QueryParameters:
    """Parse ``request.query_params.multi_items()``; other parameters (``page``) are ignored.

    Raises:
        BadRequestError: a malformed ``filter[...]``/``fields[...]`` key, or one of these
            parameters given twice (the client's intent would be ambiguous).
    """
    params = QueryParameters()
    seen: set[str] = set()
    for key, value in items:
        if key in _SCALAR_KEYS or _is_bracketed_kind(key):
            if key in seen:
                raise BadRequestError(f"Query parameter `{key}` is given more than once.")
            seen.add(key)
        if key == "sort":
            params.sorts.extend(_split(value))
        elif key == "include":
            params.includes.extend(_split(value))
        elif _is_bracketed_kind(key):
            match = _BRACKETED.match(key)
            if match is None:
                raise BadRequestError(
                    f"Malformed query parameter `{key}`: use `filter[name]=value` or "
                    "`fields[resource]=a,b`."
                )
            kind, name = match.groups()
            if kind == "filter":
                params.filters[name] = value
            else:
                params.fields[name] = _split(value)
    return params
