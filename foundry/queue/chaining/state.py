"""The chain as a job's payload carries it: ``payload["chain"]``.

Like Laravel's ``chained`` property, the links still to run travel inside the running link's
payload, so a chain needs no table and survives any worker: whichever worker finishes a link
pushes the next one. Each link (and each catch callback) is stored as the complete, signed
payload of its job, built when it was added to the chain; the whole ``chain`` entry is covered
by the running link's own signature as well, so a tampered chain is refused before anything in
it is read. A link is a job payload and nothing else, so a batch can later become a link as a
job that dispatches the batch with the rest of the chain attached.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from foundry.jobs.errors import PayloadError

__all__ = ["CHAIN_KEY", "ChainFailure", "ChainState"]

#: The payload key holding the chain.
CHAIN_KEY = "chain"


@dataclass(frozen=True, slots=True)
class ChainFailure:
    """What a chain's ``catch`` callbacks receive: which link failed, and why."""

    chain_id: str
    chain_name: str | None
    #: The failed link's position in the chain, 0 for the first.
    link_index: int
    #: The failed link's job name (``display_name()``) and job id (its uuid in ``failed_jobs``).
    job_name: str
    job_id: str
    #: ``ExceptionClass: message`` of the failure.
    exception: str


@dataclass(frozen=True, slots=True)
class ChainState:
    """The chain as one of its links sees it."""

    id: str
    name: str | None
    #: The position of the link carrying this state, 0 for the first.
    index: int = 0
    #: The chain's ``on_connection``/``on_queue``: the default of links added later.
    connection: str | None = None
    queue: str | None = None
    #: Signed payloads of the links still to run, in order.
    links: list[dict[str, Any]] = field(default_factory=list)
    #: Signed payloads of the catch callbacks' jobs.
    catch: list[dict[str, Any]] = field(default_factory=list)

    def to_payload(self) -> dict[str, Any]:
        """The JSON value stored under ``payload["chain"]``."""
        return {
            "id": self.id,
            "name": self.name,
            "index": self.index,
            "connection": self.connection,
            "queue": self.queue,
            "links": self.links,
            "catch": self.catch,
        }

    def advanced(self, links: list[dict[str, Any]]) -> ChainState:
        """The state the next link carries, given every link still to run (``links[0]`` next)."""
        return replace(self, index=self.index + 1, links=links[1:])

    @classmethod
    def of(cls, payload: dict[str, Any]) -> ChainState | None:
        """The chain ``payload`` belongs to, or ``None``; raises :class:`PayloadError` for a
        ``chain`` entry of the wrong shape (only after the payload's signature was checked)."""
        value = payload.get(CHAIN_KEY)
        if value is None:
            return None
        try:
            links, catch = list(value["links"]), list(value["catch"])
            if not all(isinstance(item, dict) for item in (*links, *catch)):
                raise TypeError("a link is not a payload")
            return cls(
                id=str(value["id"]),
                name=None if value["name"] is None else str(value["name"]),
                index=int(value["index"]),
                connection=value["connection"],
                queue=value["queue"],
                links=links,
                catch=catch,
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise PayloadError(f"job payload holds a malformed chain: {exc}") from exc
