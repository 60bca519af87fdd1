"""The textual application of ``queue:top``."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any, ClassVar

from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.coordinate import Coordinate
from textual.screen import ModalScreen
from textual.widgets import DataTable, Footer, Input, Label, Static

from foundry.console.queue_top.format import (
    FAILED_HEADERS,
    QUEUE_HEADERS,
    WORKER_HEADERS,
    failed_cells,
    queue_cells,
    summary,
    worker_cells,
)
from foundry.console.queue_top.snapshot import QueueLine, Snapshot, SnapshotSource

__all__ = ["ConfirmScreen", "QueueTopApp", "SORT_KEYS"]

#: The queues table's sort columns, in the order ``s`` cycles through them.
SORT_KEYS: tuple[tuple[str, Callable[[QueueLine], Any]], ...] = (
    ("queue", lambda q: (q.queue, q.connection)),
    ("pending", lambda q: q.pending),
    ("reserved", lambda q: q.reserved),
    ("delayed", lambda q: q.delayed),
    ("oldest wait", lambda q: q.oldest_wait or 0.0),
    ("jobs/min", lambda q: q.throughput),
    ("avg", lambda q: q.runtime_avg or 0.0),
    ("p95", lambda q: q.runtime_p95 or 0.0),
    ("failed", lambda q: q.failed),
    ("status", lambda q: q.status),
)
_STATUS_STYLE = {"running": "bold green", "no workers": "bold red", "idle": "dim"}


class ConfirmScreen(ModalScreen[bool]):
    """Asks a yes/no question; dismissed with ``True`` on ``y``."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", "Yes"),
        Binding("n,escape", "answer(False)", "No"),
    ]
    DEFAULT_CSS = """
    ConfirmScreen { align: center middle; }
    ConfirmScreen > Label { border: thick $warning; padding: 1 2; background: $surface; }
    """

    def __init__(self, question: str) -> None:
        """
        Args:
            question: shown with ``[y/n]``.
        """
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        """The question."""
        yield Label(f"{self.question} [y/n]")

    def action_answer(self, answer: bool) -> None:
        """Close with ``answer``."""
        self.dismiss(answer)


class FilterInput(Input):
    """The queue-name filter; Esc clears it."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Clear filter")]

    def action_cancel(self) -> None:
        """Clear the filter and hide the input."""
        self.value = ""
        app = self.app
        if isinstance(app, QueueTopApp):
            app.apply_filter(None)


class QueueTopApp(App[None]):
    """Queues, workers and failed jobs, refreshed every ``interval`` seconds."""

    TITLE = "queue:top"
    CSS = """
    #summary { height: 1; background: $primary; color: $text; padding: 0 1; }
    #errors { height: auto; color: $error; padding: 0 1; }
    #filter { display: none; }
    .title { height: 1; padding: 0 1; text-style: bold; }
    DataTable { height: auto; max-height: 40%; }
    #failed { max-height: 30%; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("s", "sort", "Sort"),
        Binding("S", "reverse", "Reverse"),
        Binding("slash,f", "filter", "Filter", key_display="/"),
        Binding("r", "retry", "Retry"),
        Binding("R", "retry_all", "Retry all"),
        Binding("tab", "focus_next", "Next table", show=True),
        Binding("q", "quit", "Quit"),
    ]

    def __init__(
        self, source: SnapshotSource, interval: float = 1.0, queue_filter: str | None = None
    ) -> None:
        """
        Args:
            source: reads snapshots and retries failed jobs.
            interval: seconds between refreshes.
            queue_filter: show only queues whose name contains this.
        """
        super().__init__()
        self.source = source
        self.interval = interval
        self.queue_filter = queue_filter or None
        self.sort_index = 0
        self.sort_reverse = False
        self.snapshot: Snapshot | None = None
        self._reading = False

    def compose(self) -> ComposeResult:
        """Header line, filter input, the three tables and the key footer."""
        yield Static("Loading…", id="summary")
        yield Static("", id="errors")
        yield FilterInput(placeholder="Filter by queue name (Enter; Esc clears)", id="filter")
        with Vertical():
            yield Static("Queues", id="queues-title", classes="title")
            yield DataTable(id="queues", cursor_type="row", zebra_stripes=True)
            yield Static("Workers", classes="title")
            yield DataTable(id="workers", cursor_type="row")
            yield Static("Failed jobs", id="failed-title", classes="title")
            yield DataTable(id="failed", cursor_type="row")
        yield Footer()

    def on_mount(self) -> None:
        """Set the columns and start refreshing."""
        for table_id, headers in (
            ("queues", QUEUE_HEADERS),
            ("workers", WORKER_HEADERS),
            ("failed", FAILED_HEADERS),
        ):
            self.query_one(f"#{table_id}", DataTable).add_columns(*headers)
        self.query_one("#queues", DataTable).focus()
        self.set_interval(self.interval, self.refresh_snapshot)
        self.refresh_snapshot()

    # -- reading --------------------------------------------------------------------------------

    def refresh_snapshot(self) -> None:
        """Read a new snapshot in a worker task, unless the last read is still running (a slow
        store then slows the refresh, never the keys)."""
        if self._reading:
            return
        self._reading = True
        self.run_worker(self._read(), group="read", exit_on_error=False)

    async def _read(self) -> None:
        # A store that accepts connections but never answers is as down as a refused one.
        patience = max(10.0, self.interval * 5)
        try:
            snapshot = await asyncio.wait_for(self.source.read(self.queue_filter), patience)
        except TimeoutError:
            self.query_one("#errors", Static).update(
                f"store unreachable: no answer in {patience:g} s"
            )
            return
        except Exception as exc:  # noqa: BLE001 - the screen must survive any store error
            self.query_one("#errors", Static).update(f"store unreachable: {exc}")
            return
        finally:
            self._reading = False
        self.show(snapshot)

    def show(self, snapshot: Snapshot) -> None:
        """Draw ``snapshot`` (rows are replaced in place; the cursor keeps its row)."""
        self.snapshot = snapshot
        self.query_one("#summary", Static).update(summary(snapshot))
        self.query_one("#errors", Static).update("\n".join(snapshot.errors))
        name, key = SORT_KEYS[self.sort_index]
        queues = sorted(snapshot.queues, key=key, reverse=self.sort_reverse)
        arrow = "▼" if self.sort_reverse else "▲"
        shown = f" [filter: {self.queue_filter}]" if self.queue_filter else ""
        self.query_one("#queues-title", Static).update(f"Queues (sort: {name} {arrow}){shown}")
        self._fill(
            "queues",
            [
                (f"{q.connection}:{q.queue}", [*queue_cells(q)[:-1], self._status(q)])
                for q in queues
            ],
        )
        self._fill("workers", [(w.worker.id, worker_cells(w)) for w in snapshot.workers])
        self.query_one("#failed-title", Static).update(
            f"Failed jobs (latest {len(snapshot.failed)} of {snapshot.failed_total})"
        )
        self._fill("failed", [(f.uuid, failed_cells(f)) for f in snapshot.failed])

    @staticmethod
    def _status(line: QueueLine) -> Text:
        return Text(line.status, style=_STATUS_STYLE[line.status])

    def _fill(self, table_id: str, rows: list[tuple[str, list[Any]]]) -> None:
        table = self.query_one(f"#{table_id}", DataTable)
        selected = self.selected_key(table_id)
        table.clear()
        for key, cells in rows:
            table.add_row(*cells, key=key)
        keys = [key for key, _ in rows]
        if selected in keys:
            table.move_cursor(row=keys.index(selected), animate=False)

    def selected_key(self, table_id: str) -> str | None:
        """The key of the row under the cursor of ``table_id`` (a failed job's uuid, ...)."""
        table = self.query_one(f"#{table_id}", DataTable)
        if table.row_count == 0:
            return None
        row = min(table.cursor_row, table.row_count - 1)
        return table.coordinate_to_cell_key(Coordinate(row, 0)).row_key.value

    # -- keys -----------------------------------------------------------------------------------

    def action_sort(self) -> None:
        """Sort the queues by the next column."""
        self.sort_index = (self.sort_index + 1) % len(SORT_KEYS)
        self._redraw()

    def action_reverse(self) -> None:
        """Reverse the queues' order."""
        self.sort_reverse = not self.sort_reverse
        self._redraw()

    def _redraw(self) -> None:
        if self.snapshot is not None:
            self.show(self.snapshot)

    def action_filter(self) -> None:
        """Show the filter input."""
        field = self.query_one("#filter", FilterInput)
        field.display = True
        field.value = self.queue_filter or ""
        field.focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Apply the typed filter."""
        self.apply_filter(event.value.strip() or None)

    def apply_filter(self, queue_filter: str | None) -> None:
        """Show only queues whose name contains ``queue_filter`` (all when ``None``)."""
        self.queue_filter = queue_filter
        self.query_one("#filter", FilterInput).display = False
        self.query_one("#queues", DataTable).focus()
        self.refresh_snapshot()

    def action_retry(self) -> None:
        """Retry the failed job under the failed panel's cursor."""
        uuid = self.selected_key("failed")
        if uuid is None:
            self.notify("No failed job selected.", severity="warning")
            return
        self.run_worker(self._retry(uuid), group="retry", exit_on_error=False)

    async def _retry(self, uuid: str) -> None:
        try:
            message = await self.source.retry(uuid)
        except Exception as exc:  # noqa: BLE001 - report, do not crash
            self.notify(f"Retry failed: {exc}", severity="error")
            return
        self.notify(message, timeout=4)
        self.refresh_snapshot()

    def action_retry_all(self) -> None:
        """Ask, then retry every failed job (of the filtered queues)."""
        count = self.snapshot.failed_total if self.snapshot else 0
        scope = f" of queues matching [{self.queue_filter}]" if self.queue_filter else ""

        def answered(yes: bool | None) -> None:
            if yes:
                self.run_worker(self._retry_all(), group="retry", exit_on_error=False)

        self.push_screen(ConfirmScreen(f"Retry all {count} failed job(s){scope}?"), answered)

    async def _retry_all(self) -> None:
        try:
            message = await self.source.retry_all(self.queue_filter)
        except Exception as exc:  # noqa: BLE001 - report, do not crash
            self.notify(f"Retry failed: {exc}", severity="error")
            return
        self.notify(message, timeout=4)
        self.refresh_snapshot()
