"""``make:test Name [--unit]``: a pytest module in tests/feature (or tests/unit)."""

from __future__ import annotations

from typing import Annotated

import typer

from foundry.console.generators.names import Name
from foundry.console.generators.options import (
    BasePathOption,
    ForceOption,
    NameArgument,
    generator_for,
)
from foundry.console.generators.tests_kind import plan_test

__all__ = ["make_test"]


def make_test(
    name: NameArgument,
    unit: Annotated[
        bool, typer.Option("--unit", help="A unit test in tests/unit (no HTTP client)")
    ] = False,
    force: ForceOption = False,
    path: BasePathOption = None,
) -> None:
    """Create a test module: tests/feature/test_<name>.py, or tests/unit/ with --unit."""
    generator = generator_for(path, force)
    plan_test(generator, Name.parse(name, what="test name"), unit=unit)
    generator.write()
