"""Common passwords: refused even when long enough (``aaaaaaaaaaaa``, ``password1234``).

A vendored list of the passwords breach studies find most often (``common_passwords.txt``), and
the patterns that make up most of the rest: one or few characters repeated, runs of the alphabet,
of digits or of a keyboard row, and a common password padded with digits or symbols or with
letters swapped for look-alikes (``P@ssw0rd!2024``).
"""

from __future__ import annotations

import re
from functools import cache
from importlib.resources import files
from typing import Final

__all__ = ["COMMON_PASSWORD", "is_common_password"]

COMMON_PASSWORD: Final = "The given :attribute is too common. Please choose a different :attribute."

#: Fewer different characters than this is a pattern, not a password (``abababababab``).
_MIN_DISTINCT = 5
_RUNS: Final = (
    "abcdefghijklmnopqrstuvwxyz",
    "0123456789",
    "qwertyuiopasdfghjklzxcvbnm",
    "qwertzuiopasdfghjklyxcvbnm",
    "azertyuiopqsdfghjklmwxcvbn",
    "1qaz2wsx3edc4rfv5tgb6yhn7ujm8ik9ol0p",
    "qazwsxedcrfvtgbyhnujmikolp",
    "1q2w3e4r5t6y7u8i9o0p",
)
_LOOK_ALIKES = str.maketrans(
    {"@": "a", "4": "a", "3": "e", "1": "i", "!": "i", "0": "o", "$": "s", "5": "s", "7": "t"}
)
_PADDING = re.compile(r"^[\W\d_]+|[\W\d_]+$")


@cache
def _common() -> frozenset[str]:
    text = files("foundry.auth.passwords").joinpath("common_passwords.txt").read_text("utf-8")
    lines = (line.strip() for line in text.splitlines())
    return frozenset(line for line in lines if line and not line.startswith("#"))


def _is_run(text: str) -> bool:
    # Part of a run, forwards or backwards, as long as the run wraps around (``7890123456``).
    for run in _RUNS:
        for direction in (run, run[::-1]):
            if text in direction * (len(text) // len(direction) + 2):
                return True
    return False


def _is_repetition(text: str, common: frozenset[str]) -> bool:
    # "passwordpassword", "abcabcabc": a shorter unit repeated to fill the whole password.
    for size in range(1, len(text) // 2 + 1):
        unit = text[:size]
        if len(text) % size == 0 and unit * (len(text) // size) == text:
            core = _PADDING.sub("", unit)
            return size < _MIN_DISTINCT or unit in common or core in common or _is_run(unit)
    return False


def is_common_password(password: str) -> bool:
    """Whether ``password`` is a common one or made like one (see the module docstring)."""
    text = "".join(password.casefold().split())
    if len(set(text)) < _MIN_DISTINCT:
        return True
    common = _common()
    core = _PADDING.sub("", text)
    # Padding first ("p@ssw0rd!2024" -> "p@ssw0rd"), then look-alikes ("password"); the other
    # order too, for a look-alike at an end ("hell0").
    candidates = {text, core, core.translate(_LOOK_ALIKES), text.translate(_LOOK_ALIKES)}
    candidates.add(_PADDING.sub("", text.translate(_LOOK_ALIKES)))
    for candidate in candidates:
        if not candidate:
            continue
        if candidate in common or _is_run(candidate) or _is_repetition(candidate, common):
            return True
    return False
