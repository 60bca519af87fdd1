"""Console output: rich on a terminal, plain text when piped (scripts and tests read it).

Rich is imported only when the output really is a terminal, which keeps piped runs of
``artisan list`` as cheap as importing typer.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from rich.console import Console
    from rich.progress import Progress, TaskID

__all__ = ["Output", "ProgressReporter"]

#: Width used for dotted two-column lines when the output is not a terminal.
PLAIN_WIDTH = 80

_BADGE_STYLES = {
    "INFO": "bold white on blue",
    "WARN": "bold black on yellow",
    "ERROR": "bold white on red",
}
_STATUS_STYLES = {"DONE": "bold green", "FAIL": "bold red", "SKIPPED": "bold yellow"}


class Output:
    """Writes what a command has to say; one per command run.

    Args:
        stdout: where normal output goes (``sys.stdout`` when ``None``, read at construction).
        stderr: where errors go (``sys.stderr`` when ``None``).
        terminal: force rich (``True``) or plain (``False``) rendering instead of asking
            ``stdout.isatty()``.
    """

    def __init__(
        self,
        stdout: TextIO | None = None,
        stderr: TextIO | None = None,
        *,
        terminal: bool | None = None,
    ) -> None:
        self.stdout = stdout if stdout is not None else sys.stdout
        self.stderr = stderr if stderr is not None else sys.stderr
        self.terminal = _isatty(self.stdout) if terminal is None else terminal
        self._consoles: dict[bool, Console] = {}

    # -- plain lines ---------------------------------------------------------------------------

    def line(self, text: str = "", *, style: str | None = None, err: bool = False) -> None:
        """One line of text, styled only on a terminal."""
        if self.terminal:
            self.console(err=err).print(text, style=style, markup=False, highlight=False)
        else:
            print(text, file=self.stderr if err else self.stdout, flush=True)

    def heading(self, text: str) -> None:
        """A section heading (yellow on a terminal)."""
        self.line(text, style="bold yellow")

    def info(self, message: str) -> None:
        """``  INFO  message``, Laravel's status line."""
        self._badge("INFO", message, err=False)

    def warn(self, message: str) -> None:
        """``  WARN  message``."""
        self._badge("WARN", message, err=False)

    def error(self, message: str) -> None:
        """``  ERROR  message`` on stderr."""
        self._badge("ERROR", message, err=True)

    def _badge(self, badge: str, message: str, *, err: bool) -> None:
        if self.terminal:
            from rich.text import Text

            text = Text.assemble("  ", (f" {badge} ", _BADGE_STYLES[badge]), " ", message)
            self.console(err=err).print(text, highlight=False)
        else:
            print(f"  {badge}  {message}", file=self.stderr if err else self.stdout, flush=True)

    def two_column(self, left: str, right: str, *, right_style: str | None = None) -> None:
        """``  left ........ right``: a task and its result, or a setting and its value."""
        width = self.console().width if self.terminal else PLAIN_WIDTH
        dots = "." * max(3, width - len(left) - len(right) - 4)
        if self.terminal:
            from rich.text import Text

            text = Text.assemble(
                "  ", left, " ", (dots, "bright_black"), " ", (right, right_style or "")
            )
            self.console().print(text, highlight=False)
        else:
            print(f"  {left} {dots} {right}", file=self.stdout, flush=True)

    def task(self, label: str, status: str = "DONE", detail: str = "") -> None:
        """``  label ........ detail DONE``."""
        right = f"{detail} {status}" if detail else status
        self.two_column(label, right, right_style=_STATUS_STYLES.get(status))

    def json(self, data: Any) -> None:
        """``data`` as indented JSON, never styled, so it can be piped to ``jq``."""
        print(json.dumps(data, indent=2, default=str), file=self.stdout, flush=True)

    # -- tables --------------------------------------------------------------------------------

    def table(self, headers: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
        """A table: rich on a terminal; aligned columns, never wrapped or cut, when piped."""
        if self.terminal:
            from rich.table import Table

            table = Table(*headers, header_style="bold green", show_lines=False)
            for row in rows:
                table.add_row(*row)
            self.console().print(table)
            return
        widths = [len(header) for header in headers]
        for row in rows:
            widths = [max(width, len(cell)) for width, cell in zip(widths, row, strict=True)]
        for cells in (headers, ["-" * width for width in widths], *rows):
            line = "  ".join(cell.ljust(width) for cell, width in zip(cells, widths, strict=True))
            print(line.rstrip(), file=self.stdout)
        self.stdout.flush()

    # -- progress ------------------------------------------------------------------------------

    @contextmanager
    def progress(self, description: str, total: int | None = None) -> Iterator[ProgressReporter]:
        """A progress bar (rich) or one line per step (plain); ``total=None`` when unknown."""
        if not self.terminal:
            yield ProgressReporter(self, None, None)
            return
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            SpinnerColumn,
            TextColumn,
            TimeElapsedColumn,
        )

        with Progress(
            SpinnerColumn(),
            TextColumn("[progress.description]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=self.console(),
        ) as bar:
            task_id = bar.add_task(description, total=total)
            reporter = ProgressReporter(self, bar, task_id)
            try:
                yield reporter
            finally:
                # An unknown total becomes the count reached, so the bar ends full, not pulsing.
                bar.update(task_id, total=reporter.count, completed=reporter.count)

    # -- rich ----------------------------------------------------------------------------------

    def console(self, *, err: bool = False) -> Console:
        """The rich console for stdout (or stderr); only called on a terminal."""
        console = self._consoles.get(err)
        if console is None:
            from rich.console import Console

            stream = self.stderr if err else self.stdout
            console = self._consoles[err] = Console(file=stream, highlight=False)
        return console


class ProgressReporter:
    """Handed out by :meth:`Output.progress`; call :meth:`advance` once per step."""

    def __init__(self, output: Output, bar: Progress | None, task_id: TaskID | None) -> None:
        self._output = output
        self._bar = bar
        self._task_id = task_id
        self.count = 0

    def advance(self, label: str) -> None:
        """Count one step called ``label`` and show its name."""
        self.count += 1
        if self._bar is not None and self._task_id is not None:
            self._bar.console.print(f"  {label}", markup=False, highlight=False)
            self._bar.advance(self._task_id)
        else:
            self._output.line(f"  {label}")


def _isatty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
