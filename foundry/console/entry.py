"""The ``artisan`` console script (``pyproject.toml``: ``artisan = "foundry.console.entry:main"``)."""

from __future__ import annotations

import sys
from collections.abc import Sequence

from foundry.console.kernel import build_artisan
from foundry.console.registry import CommandRegistry

__all__ = ["main"]


def main(argv: Sequence[str] | None = None, *, registry: CommandRegistry | None = None) -> int:
    """Run artisan with ``argv`` (``sys.argv[1:]`` when ``None``) and return the exit code."""
    artisan = build_artisan(registry)
    try:
        artisan(args=None if argv is None else list(argv), prog_name="artisan")
    except SystemExit as exc:
        code = exc.code
        if code is None or isinstance(code, int):
            return code or 0
        print(code, file=sys.stderr)  # sys.exit("message"), as Python itself would show it
        return 1
    return 0
