"""A snapshot as plain text: what ``queue:top`` prints when stdout is not a terminal."""

from __future__ import annotations

from collections.abc import Sequence

from foundry.console.queue_top.format import (
    FAILED_HEADERS,
    QUEUE_HEADERS,
    WORKER_HEADERS,
    failed_cells,
    queue_cells,
    summary,
    worker_cells,
)
from foundry.console.queue_top.snapshot import Snapshot

__all__ = ["render_text"]


def _table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    widths = [len(h) for h in headers]
    for row in rows:
        widths = [max(w, len(cell)) for w, cell in zip(widths, row, strict=True)]

    def line(cells: Sequence[str]) -> str:
        return "  ".join(cell.ljust(width) for cell, width in zip(cells, widths, strict=True))

    return [line(headers).rstrip(), *(line(row).rstrip() for row in rows)]


def render_text(snapshot: Snapshot) -> str:
    """``snapshot`` as aligned plain-text tables (no colour, no terminal codes)."""
    out = [summary(snapshot)]
    out += [f"! {error}" for error in snapshot.errors]
    out += ["", "Queues"]
    out += _table(QUEUE_HEADERS, [queue_cells(q) for q in snapshot.queues])
    out += ["", "Workers"]
    if snapshot.workers:
        out += _table(WORKER_HEADERS, [worker_cells(w) for w in snapshot.workers])
    else:
        out.append("(no live workers)")
    out += ["", f"Failed jobs (latest {len(snapshot.failed)} of {snapshot.failed_total})"]
    if snapshot.failed:
        out += _table(FAILED_HEADERS, [failed_cells(f) for f in snapshot.failed])
    else:
        out.append("(none)")
    return "\n".join(out) + "\n"
