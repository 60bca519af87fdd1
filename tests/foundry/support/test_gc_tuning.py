"""After boot the objects alive are frozen out of the collector's walks, once per process."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]

_PROBE = """
import gc, json, sys
from foundry.kernel.gc_tuning import tune_after_boot
before = gc.get_threshold()
first = tune_after_boot(freeze=sys.argv[1] == "on", threshold=int(sys.argv[2]))
frozen = gc.get_freeze_count()
second = tune_after_boot(freeze=sys.argv[1] == "on", threshold=50)
print(json.dumps({"before": before, "first": first, "second": second, "frozen": frozen,
                  "after": gc.get_threshold()}))
"""


def _probe(freeze: str, threshold: int) -> dict[str, object]:
    # A process of its own: freezing is process-wide and cannot be undone inside the test run.
    out = subprocess.run(
        [sys.executable, "-c", _PROBE, freeze, str(threshold)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    result: dict[str, object] = json.loads(out)
    return result


def test_boot_objects_are_frozen_and_the_threshold_raised_once() -> None:
    result = _probe("on", 10_000)
    assert result["first"] is True
    assert isinstance(result["frozen"], int) and result["frozen"] > 1000
    assert result["second"] is False  # the second call changes nothing
    before, after = result["before"], result["after"]
    assert isinstance(before, list) and isinstance(after, list)
    assert after == [10_000, before[1], before[2]]


def test_turned_off_it_leaves_the_collector_alone() -> None:
    result = _probe("off", 10_000)
    assert result["first"] is False
    assert result["frozen"] == 0
    assert result["after"] == result["before"]


def test_threshold_zero_keeps_pythons_default() -> None:
    result = _probe("on", 0)
    assert result["first"] is True
    assert result["after"] == result["before"]
