"""Checked by mypy only (``make type-check``), never run: facades are typed as their service.

Each ``type: ignore[...]`` below marks a call mypy must reject; with ``warn_unused_ignores`` (part
of ``--strict``) the check fails if mypy ever stops rejecting it.
"""

from __future__ import annotations

from typing import assert_type

from foundry.kernel.facades import Swappable, facade


class Greeter(Swappable):
    def greet(self, name: str) -> str:
        return f"Hello, {name}"


Greeting = facade(Greeter)


def well_typed() -> None:
    assert_type(Greeting.greet("Ada"), str)
    assert_type(Greeting.swap(Greeter()), Greeter)


def rejected() -> None:
    Greeting.greet(42)  # type: ignore[arg-type]
    Greeting.shout("Ada")  # type: ignore[attr-defined]
    Greeting.swap(object())  # type: ignore[arg-type]
