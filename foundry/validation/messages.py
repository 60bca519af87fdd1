"""Turning a failed rule into a message: custom messages, attribute names, placeholders.

Messages follow Laravel: a custom message is looked up as ``"field.rule"`` first, then
``"rule"``, then the rule's own message. Placeholders are Laravel's ``:attribute``, ``:min``,
``:values``... (``:Attribute`` capitalizes the first letter), so messages copied from a Laravel
``validation.php`` work unchanged.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

__all__ = ["Messages", "fill"]

_PLACEHOLDER = re.compile(r":([A-Za-z_]+)")


def fill(template: str, replacements: Mapping[str, str]) -> str:
    """Replace ``:name`` placeholders; unknown names are left as written."""

    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        if name in replacements:
            return replacements[name]
        lowered = name[0].lower() + name[1:]
        if lowered != name and lowered in replacements:
            value = replacements[lowered]
            return value[:1].upper() + value[1:]
        return match.group(0)

    return _PLACEHOLDER.sub(replace, template)


class Messages:
    """Custom messages and attribute names for one validation.

    Args:
        custom: ``{"email.unique": "...", "required": "..."}``; field-specific keys win.
        attributes: display names, ``{"email": "email address"}``; by default a field's name
            is its path with underscores as spaces (``first_name`` -> ``first name``).
    """

    def __init__(
        self,
        custom: Mapping[str, str] | None = None,
        attributes: Mapping[str, str] | None = None,
    ) -> None:
        self._custom = dict(custom or {})
        self._attributes = dict(attributes or {})

    def attribute(self, field: str, pattern: str | None = None) -> str:
        """The display name of ``field`` (or of the ``items.*.sku`` pattern it came from)."""
        named = self._attributes.get(field)
        if named is None and pattern is not None:
            named = self._attributes.get(pattern)
        return named if named is not None else field.replace("_", " ")

    def custom(self, field: str, *keys: str, pattern: str | None = None) -> str | None:
        """The custom message for ``field`` failing a rule known by any of ``keys``, if any.

        ``pattern`` is the wildcard path the field matched (``items.*.sku``), tried after the
        field's own path.
        """
        for name in (field, pattern) if pattern is not None else (field,):
            for key in keys:
                found = self._custom.get(f"{name}.{key}")
                if found is not None:
                    return found
        for key in keys:
            found = self._custom.get(key)
            if found is not None:
                return found
        return None

    def render(
        self,
        template: str,
        field: str,
        replacements: Mapping[str, str] | None = None,
        pattern: str | None = None,
    ) -> str:
        """``template`` with ``:attribute`` and ``replacements`` filled in for ``field``."""
        values = {"attribute": self.attribute(field, pattern)}
        for name, value in (replacements or {}).items():
            # ``:other`` names another field: show that field's display name too.
            values[name] = self.attribute(value) if name == "other" else value
        return fill(template, values)
