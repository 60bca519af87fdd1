"""Wildcard permissions (Spatie's): ``articles.*``, ``articles.edit,delete``, ``*``.

A permission name is parts separated by ``.``; a part is ``*`` or words separated by ``,``. A held
pattern grants a name when every part of the name is covered by the pattern's part at the same
place; a pattern shorter than the name grants everything below it (``articles`` grants
``articles.edit``), and a longer pattern only if its extra parts are all ``*``.
"""

from __future__ import annotations

import re
from functools import lru_cache

from foundry.permissions.errors import WildcardPermissionInvalid

__all__ = ["WILDCARD", "implies", "is_wildcard", "parse", "validate"]

WILDCARD = "*"
_WORD = re.compile(r"^[^\s.,*]+(?:[^.,*]*[^\s.,*])?$")

Pattern = tuple[frozenset[str] | None, ...]  # None: the part is "*"


@lru_cache(maxsize=4096)
def parse(name: str) -> Pattern:
    """The parts of ``name``; raises :class:`WildcardPermissionInvalid` when malformed."""
    if not name or name != name.strip():
        raise WildcardPermissionInvalid(f"Wildcard permission `{name}` is not valid.")
    parts: list[frozenset[str] | None] = []
    for part in name.split("."):
        if part == WILDCARD:
            parts.append(None)
            continue
        words = part.split(",")
        if not all(_WORD.match(word) for word in words):
            raise WildcardPermissionInvalid(
                f"Wildcard permission `{name}` is not valid: part `{part}` must be `*` or "
                "words separated by commas."
            )
        parts.append(frozenset(words))
    return tuple(parts)


def validate(name: str) -> str:
    """``name`` when it parses, else :class:`WildcardPermissionInvalid`."""
    parse(name)
    return name


def is_wildcard(name: str) -> bool:
    """Whether ``name`` grants more than itself (has ``*`` or ``,``)."""
    return WILDCARD in name or "," in name


def implies(held: str, wanted: str) -> bool:
    """Whether holding pattern ``held`` grants ``wanted``.

    A malformed ``wanted`` raises :class:`WildcardPermissionInvalid`; a malformed ``held`` (a
    name stored before wildcards were turned on) grants nothing but itself.
    """
    need = parse(wanted)
    try:
        have = parse(held)
    except WildcardPermissionInvalid:
        return held == wanted
    for index, part in enumerate(need):
        if index >= len(have):
            return True
        mine = have[index]
        if mine is None:
            continue
        if part is None or not part <= mine:
            return False
    return all(extra is None for extra in have[len(need) :])
