"""Run ``mypy --strict`` over the project and print a per-package summary.

Usage: ``python scripts/type_check.py [paths...]`` (``make type-check``). Exits 1 on any error.
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from pathlib import Path

from mypy import api

ROOT = Path(__file__).resolve().parent.parent
ERROR_LINE = re.compile(r"^(?P<path>[^:]+\.pyi?):\d+(?::\d+)?: error: ")


def package_of(path: str) -> str:
    """The directory a file belongs to (``app/http/middleware/cors.py`` -> ``app/http/middleware``)."""
    parent = Path(path).parent
    return str(parent) if str(parent) != "." else path


def source_packages(paths: list[str]) -> Counter[str]:
    """How many Python files each package holds, for the summary's second column."""
    counts: Counter[str] = Counter()
    for top in paths:
        for file in (ROOT / top).rglob("*.py"):
            counts[package_of(str(file.relative_to(ROOT)))] += 1
    return counts


def main(argv: list[str]) -> int:
    """Run mypy and print errors, then the per-package table."""
    targets = argv or ["app", "config", "database", "tests", "scripts"]
    stdout, stderr, status = api.run(["--config-file", str(ROOT / "mypy.ini"), *targets])
    errors: Counter[str] = Counter()
    for line in stdout.splitlines():
        match = ERROR_LINE.match(line)
        if match:
            errors[package_of(match["path"])] += 1
    if stdout.strip():
        print(stdout.rstrip())
    if stderr.strip():
        print(stderr.rstrip(), file=sys.stderr)
    files = source_packages(targets)
    width = max((len(name) for name in files | errors), default=10)
    print(f"\n{'package':<{width}}  files  errors")
    for name in sorted(files | errors):
        mark = "" if errors[name] == 0 else "  <-"
        print(f"{name:<{width}}  {files[name]:>5}  {errors[name]:>6}{mark}")
    total = sum(errors.values())
    print(f"\n{'mypy --strict: clean' if status == 0 else f'mypy --strict: {total} error(s)'}")
    return 0 if status == 0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
