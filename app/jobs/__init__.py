"""The application's queued jobs.

``from app.jobs import batch, chain`` reaches the framework's batches and chains from here.
"""

from foundry.queue import BatchableJob as BatchableJob
from foundry.queue import ChainableJob as ChainableJob
from foundry.queue import batch as batch
from foundry.queue import chain as chain
