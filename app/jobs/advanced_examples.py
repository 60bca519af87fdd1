"""The jobs ``make queue-advanced-example`` dispatches: a batch, a chain, a rate-limited job, a
secure job and a scheduled one (``scripts/queue_advanced_example.py`` runs them).

Read them next to the README's ``## Queue`` section (Batches, Chains, Job middleware, Unique and
secure jobs) and *Task scheduling*. Each job and callback prints what it did and notes it in
:data:`JOURNAL`, which the script reads back: it works the queue in its own process, so the
journal holds what ran there. Under a real worker (``make dev``) only the printed lines show.
"""

from __future__ import annotations

from typing import Final

from foundry.jobs import Job, RateLimit, RateLimited, SecureJob
from foundry.queue import Batch, BatchableJob, ChainFailure

__all__ = [
    "JOURNAL",
    "PAYROLL_PERMISSION",
    "CallPartnerApiJob",
    "ExportPayrollJob",
    "ExtractOrdersJob",
    "ImportCustomersJob",
    "LoadOrdersJob",
    "SendDailyDigestJob",
    "TransformOrdersJob",
    "imports_done",
    "imports_failed",
    "imports_finally",
    "report_pipeline_failure",
]

#: The permission an :class:`ExportPayrollJob`'s dispatching user must hold.
PAYROLL_PERMISSION: Final = "payroll.export"

#: ``(what, detail)`` for every job and callback that ran in this process, in order.
JOURNAL: list[tuple[str, str]] = []


def _note(what: str, detail: str, line: str) -> None:
    JOURNAL.append((what, detail))
    print(f"  {line}", flush=True)


# -- A batch: five imports, one of which fails; the batch allows one failure. -------------------


class ImportCustomersJob(BatchableJob):
    """Imports one file of a batch; a file named ``broken`` fails (once: ``tries = 1``)."""

    tries = 1

    def __init__(self, file: str) -> None:
        self.file = file

    async def handle(self) -> None:
        """Skip when the batch was cancelled; fail on the broken file."""
        current = await self.batch()
        if current is not None and current.cancelled():
            _note("import skipped", self.file, f"import {self.file}: skipped (batch cancelled)")
            return
        if "broken" in self.file:
            raise ValueError(f"{self.file}: row 3 has no email address")
        _note("import", self.file, f"import {self.file}: ok")


def imports_done(batch: Batch) -> None:
    """``then``: every import succeeded (not the case here, so it does not run)."""
    _note("batch then", batch.name, f"batch {batch.name}: then (every job succeeded)")


def imports_failed(batch: Batch) -> None:
    """``catch``: the first failure (allowed, so the batch is not cancelled)."""
    allowed = "allowed, batch goes on" if not batch.cancelled() else "batch cancelled"
    _note(
        "batch catch",
        batch.name,
        f"batch {batch.name}: catch, first failure ({allowed}): {batch.failed_job_ids}",
    )


async def imports_finally(batch: Batch) -> None:
    """``finally``: every job ran once, failures or not."""
    _note(
        "batch finally",
        batch.name,
        f"batch {batch.name}: finally, every job ran once "
        f"({batch.processed_jobs} succeeded, {batch.failed_jobs} failed)",
    )


# -- A chain: extract -> transform (fails) -> load, with a catch. -------------------------------


class ExtractOrdersJob(Job):
    """The chain's first link."""

    async def handle(self) -> None:
        """Pretend to extract."""
        _note("chain link", "extract", "chain: extract orders: ok")


class TransformOrdersJob(Job):
    """The chain's second link: fails for good, so the chain stops here."""

    tries = 1

    async def handle(self) -> None:
        """Fail."""
        raise RuntimeError("order 1042 has a negative total")


class LoadOrdersJob(Job):
    """The chain's last link: never runs, since the link before it fails."""

    async def handle(self) -> None:
        """Pretend to load."""
        _note("chain link", "load", "chain: load orders: ok")


async def report_pipeline_failure(failure: ChainFailure) -> None:
    """The chain's ``catch``: which link failed, and why."""
    _note(
        "chain catch",
        failure.job_name,
        f"chain {failure.chain_name}: catch, link {failure.link_index} "
        f"({failure.job_name}) failed: {failure.exception}",
    )


# -- A rate-limited job: three runs per second for the class; the rest are released. ------------


class CallPartnerApiJob(Job, RateLimited):
    """Calls a partner API that allows three requests a second."""

    def __init__(self, request: int) -> None:
        self.request = request

    def get_rate_limits(self) -> list[RateLimit]:
        """Three per second for every job of this class."""
        return [RateLimit(max_attempts=3, per_seconds=1)]

    async def handle(self) -> None:
        """Pretend to call the API."""
        _note(
            "api call",
            str(self.request),
            f"partner API request {self.request}: sent (attempt {self.attempts()})",
        )


# -- A secure job: an encrypted field and a required permission. ------------------------------


class ExportPayrollJob(SecureJob):
    """Exports payroll with an API token that is encrypted in the stored payload."""

    def __init__(self, account: str, api_token: str) -> None:
        super().__init__()
        self.account = account
        self.api_token = api_token
        self.set_sensitive_fields(["api_token"])
        self.set_required_permissions([PAYROLL_PERMISSION])

    async def handle(self) -> None:
        """Use the decrypted token (only its length and end are printed)."""
        _note(
            "payroll export",
            self.api_token,
            f"payroll export for {self.account}: got the token "
            f"(...{self.api_token[-4:]}, {len(self.api_token)} characters) decrypted",
        )


# -- A scheduled job: the scheduler queues it, a worker runs it. -------------------------------


class SendDailyDigestJob(Job):
    """The daily digest the schedule queues at 08:00."""

    def __init__(self, team: str) -> None:
        self.team = team

    async def handle(self) -> None:
        """Pretend to send it."""
        _note("digest", self.team, f"daily digest for {self.team}: sent")
