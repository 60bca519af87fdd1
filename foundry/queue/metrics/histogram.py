"""The runtime histogram behind p50 and p95: fixed log-scale bins, stored sparsely.

Bin 0 holds runtimes under :data:`LOWEST` (0.1 ms); bin ``i >= 1`` holds
``[LOWEST * GROWTH**(i-1), LOWEST * GROWTH**i)``, with ``GROWTH = 2 ** 0.25``. A percentile is
read as its bin's geometric middle, so it is within :data:`RELATIVE_ERROR` (about 9 %) of the true
value (or within 0.1 ms for bin 0). Fixed bins add up across workers and minutes by plain
addition, which is what lets workers write with increments and never read back.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

__all__ = ["GROWTH", "LOWEST", "MAX_BIN", "RELATIVE_ERROR", "bin_of", "percentile"]

#: Runtimes below this (seconds) share bin 0.
LOWEST = 1e-4
#: Each bin is this much wider than the one before.
GROWTH = 2**0.25
#: The last bin (open-ended): about 25 hours with these settings.
MAX_BIN = 120
#: The most a percentile read from the bins can be off, relative to the true value.
RELATIVE_ERROR = math.sqrt(GROWTH) - 1
_LOG_GROWTH = math.log(GROWTH)


def bin_of(seconds: float) -> int:
    """The bin a runtime of ``seconds`` falls in."""
    if seconds < LOWEST:
        return 0
    return min(MAX_BIN, int(math.log(seconds / LOWEST) / _LOG_GROWTH) + 1)


def _middle(index: int) -> float:
    if index == 0:
        return LOWEST / 2
    return float(LOWEST * GROWTH ** (index - 0.5))


def percentile(
    bins: Mapping[int, int], fraction: float, ceiling: float | None = None
) -> float | None:
    """The ``fraction`` percentile (0.5 for p50) of the runtimes counted in ``bins``.

    Nearest rank: the value at or below which ``fraction`` of the runs fall. ``ceiling`` (the
    largest runtime seen) caps the estimate, so a percentile never exceeds the maximum.
    ``None`` when nothing was counted.
    """
    total = sum(bins.values())
    if total <= 0:
        return None
    rank = max(1, math.ceil(fraction * total))
    seen = 0
    for index in sorted(bins):
        seen += bins[index]
        if seen >= rank:
            value = _middle(index)
            return min(value, ceiling) if ceiling else value
    return None  # unreachable: the ranks add up to total
