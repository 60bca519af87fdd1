"""The application's queued jobs; ``batch`` and ``BatchableJob`` are here for convenience
(``from app.jobs import batch``)."""

from foundry.queue import BatchableJob as BatchableJob
from foundry.queue import batch as batch
