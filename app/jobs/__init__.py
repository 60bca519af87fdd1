"""The application's queued jobs.

``from app.jobs import chain, ChainableJob`` reaches the framework's chains from here.
"""

from foundry.queue import ChainableJob, chain

__all__ = ["ChainableJob", "chain"]
