"""``ChainableJob``: a job that changes the rest of its chain from inside ``handle``.

```python
class ImportFileJob(ChainableJob):
    def __init__(self, path: str) -> None:
        self.path = path

    async def handle(self) -> None:
        for part in split(self.path):
            self.append_to_chain(ImportPartJob(part))     # runs after the chain's last link
        self.prepend_to_chain(CheckHeaderJob(self.path))  # runs next
```

The changes take effect only if ``handle`` succeeds; then the worker pushes the next link from
the changed list. A job that is not in a chain starts one by appending or prepending.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from foundry.jobs.job import Job
from foundry.queue.chaining.links import check_link

__all__ = ["ChainChanges", "ChainableJob"]

_CHANGES = "_foundry_chain_changes"


@dataclass(slots=True)
class ChainChanges:
    """What ``handle`` asked for, in call order."""

    appended: list[Job] = field(default_factory=list)
    prepended: list[Job] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.appended or self.prepended)


class ChainableJob(Job):
    """A :class:`Job` whose ``handle`` may add links to its chain (Laravel's ``Queueable``
    ``appendToChain`` / ``prependToChain``)."""

    def append_to_chain(self, job: Job) -> None:
        """Run ``job`` after every link of the chain, the ones appended before included.

        Raises:
            TypeError: ``job`` is not a Job, is unique, or has a field that cannot be stored.
        """
        self.chain_changes().appended.append(check_link(job))

    def prepend_to_chain(self, job: Job) -> None:
        """Run ``job`` right after this one, before the links already waiting (and before
        the jobs prepended earlier in this ``handle``, as Laravel's ``prependToChain``).

        Raises:
            TypeError: ``job`` is not a Job, is unique, or has a field that cannot be stored.
        """
        self.chain_changes().prepended.append(check_link(job))

    def chain_changes(self) -> ChainChanges:
        """The links this run added (read by the worker once ``handle`` succeeded)."""
        found = self.__dict__.get(_CHANGES)
        if not isinstance(found, ChainChanges):
            found = ChainChanges()
            # A private attribute: fields() leaves it out of the payload.
            self.__dict__[_CHANGES] = found
        return found
