"""CLI start-up: wall time of ``artisan list`` against ``python -c "import typer"``.

Both run as fresh subprocesses, alternating, in the same run; the script prints the median of
each and their ratio (target: ``artisan list`` within 2.0x of importing typer). Run it with
``make bench`` or ``.venv/bin/python scripts/bench/cli_startup.py [--runs N]``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

__all__ = ["main", "measure"]

ROOT = Path(__file__).resolve().parents[2]
TARGET_RATIO = 2.0


def _command(name: str) -> list[str]:
    if name == "baseline":
        return [sys.executable, "-c", "import typer"]
    script = Path(sys.executable).with_name("artisan")
    # The installed console script is what users run; `-m` is the same code when it is missing.
    if script.exists():
        return [str(script), "list"]
    return [sys.executable, "-m", "foundry.console", "list"]


def measure(runs: int, warmup: int = 3) -> dict[str, list[float]]:
    """Seconds per run of each command, interleaved so machine load hits both alike."""
    commands = {"baseline": _command("baseline"), "artisan list": _command("artisan")}
    # No dotenv file: what it holds must not change the figures. The warm-up runs write the
    # bytecode caches, as a user's first run would.
    env = {**os.environ, "APP_ENV_FILE": ""}
    times: dict[str, list[float]] = {name: [] for name in commands}
    for index in range(warmup + runs):
        for name, argv in commands.items():
            started = time.perf_counter()
            subprocess.run(argv, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, check=True)
            elapsed = time.perf_counter() - started
            if index >= warmup:
                times[name].append(elapsed)
    return times


def main(argv: list[str] | None = None) -> int:
    """Measure, print both medians and the ratio; exit 1 when the ratio misses the target."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, default=21, help="measured runs of each (default 21)")
    args = parser.parse_args(argv)
    times = measure(args.runs)
    baseline = statistics.median(times["baseline"])
    artisan = statistics.median(times["artisan list"])
    ratio = artisan / baseline
    print(f"runs per command:        {args.runs} (median wall time, fresh process each)")
    print(f'python -c "import typer": {baseline * 1000:7.1f} ms')
    print(f"artisan list:             {artisan * 1000:7.1f} ms")
    verdict = "ok" if ratio <= TARGET_RATIO else "MISSED"
    print(f"ratio:                    {ratio:7.2f}x  (target <= {TARGET_RATIO:.1f}x: {verdict})")
    return 0 if ratio <= TARGET_RATIO else 1


if __name__ == "__main__":
    sys.exit(main())
