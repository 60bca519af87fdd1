"""Where ``make:test`` writes: ``tests/feature`` (HTTP) or ``tests/unit``, as pytest modules."""

from __future__ import annotations

from pathlib import Path

from foundry.console.generators.names import Name
from foundry.console.generators.writer import Generator

__all__ = ["FEATURE_TESTS", "UNIT_TESTS", "plan_test", "subject_of"]

FEATURE_TESTS = Path("tests/feature")
UNIT_TESTS = Path("tests/unit")


def subject_of(name: Name) -> Name:
    """What is tested: ``PublishPost`` for ``PublishPost``, ``PublishPostTest`` or
    ``test_publish_post`` (Laravel names its tests ``...Test``, pytest ``test_...``)."""
    subject = name.without_suffix("Test")
    if subject.snake.startswith("test_"):
        subject = Name.parse(subject.snake.removeprefix("test_"))
    return subject


def plan_test(generator: Generator, name: Name, *, unit: bool = False) -> None:
    """``tests/feature/test_<snake>.py`` (``tests/unit`` with ``unit``): a module using the
    suite's documented fixtures, with one passing test to start from."""
    subject = subject_of(name)
    folder = UNIT_TESTS if unit else FEATURE_TESTS
    stub = "unit_test" if unit else "feature_test"
    generator.add(folder / f"test_{subject.snake}.py", stub, name=subject)
