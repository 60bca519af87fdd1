"""The three kinds of scheduled task: a callable, an artisan command, a queued job."""

from __future__ import annotations

import asyncio
import shlex
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from foundry.config.base import BASE_PATH
from foundry.console.scheduling.event import Event, ScheduleError, call_in
from foundry.kernel.container import Container

if TYPE_CHECKING:
    from foundry.jobs.job import Job

__all__ = ["CallbackEvent", "CommandEvent", "CommandFailedError", "JobEvent"]


class CommandFailedError(RuntimeError):
    """A scheduled artisan command exited with a non-zero code."""

    def __init__(self, command: str, code: int, output: str) -> None:
        self.code = code
        self.output = output
        super().__init__(f"{command} exited with code {code}")


class CallbackEvent(Event):
    """``schedule.call(fn)``: call ``fn`` (sync or async, parameters from the container)."""

    def __init__(self, callback: Callable[..., Any], timezone: str, **parameters: Any) -> None:
        super().__init__(timezone)
        self.callback = callback
        self.parameters = parameters

    def summary(self) -> str:
        module = getattr(self.callback, "__module__", None) or "?"
        qualname = getattr(self.callback, "__qualname__", None) or type(self.callback).__qualname__
        return f"{module}.{qualname}"

    def identity(self) -> str:
        if self._description is None and "<lambda>" in self.summary():
            # Every lambda of a module has the same name: two would share one lock.
            raise ScheduleError(
                "a scheduled lambda needs .name('...') to use without_overlapping or on_one_server"
            )
        return self._description or self.summary()

    async def execute(self, scope: Container) -> str:
        result = await call_in(scope, self.callback, **self.parameters)
        return "" if result is None else str(result)


class CommandEvent(Event):
    """``schedule.command("name --option")``: run an artisan command in a process of its own.

    As in Laravel, the command runs as ``artisan`` would from the shell, so it boots, fails and
    frees its memory on its own, and sees the code as it is now.
    """

    def __init__(self, argv: Sequence[str], timezone: str) -> None:
        if not argv:
            raise ValueError("schedule.command() needs a command name")
        super().__init__(timezone)
        self.argv = list(argv)

    @classmethod
    def parse(cls, command: str, arguments: Sequence[str], timezone: str) -> CommandEvent:
        """``"queue:prune --hours=48"`` (shell words) plus separate ``arguments``."""
        return cls([*shlex.split(command), *arguments], timezone)

    def summary(self) -> str:
        return "artisan " + shlex.join(self.argv)

    def identity(self) -> str:
        return self.summary()

    async def execute(self, scope: Container) -> str:
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "foundry.console",
            *self.argv,
            cwd=BASE_PATH,
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT,
        )
        stdout, _ = await process.communicate()
        output = stdout.decode(errors="replace")
        if process.returncode:
            raise CommandFailedError(self.summary(), process.returncode, output)
        return output


class JobEvent(Event):
    """``schedule.job(PruneJob())``: push the job onto its queue (the workers run it)."""

    def __init__(
        self,
        job: Job | type[Job],
        timezone: str,
        *,
        queue: str | None = None,
        connection: str | None = None,
    ) -> None:
        super().__init__(timezone)
        self.job = job
        self.queue = queue
        self.connection = connection

    def _job_class(self) -> type[Job]:
        return self.job if isinstance(self.job, type) else type(self.job)

    def summary(self) -> str:
        cls = self._job_class()
        return f"{cls.__module__}.{cls.__qualname__}"

    def identity(self) -> str:
        return f"job:{self.summary()}:{self.connection or ''}:{self.queue or ''}"

    async def execute(self, scope: Container) -> str:
        from foundry.jobs.pending import DispatchOptions
        from foundry.queue.manager import QueueManager

        job = scope.make(self.job) if isinstance(self.job, type) else self.job
        options = DispatchOptions(connection=self.connection, queue=self.queue)
        job_id = await scope.make(QueueManager).push(job, options)
        return f"queued as {job_id}" if job_id else "already queued (unique job)"
