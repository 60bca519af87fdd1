"""Model broadcasting (Laravel's ``BroadcastsEvents``): a model's creates, updates, deletes and
restores sent to WebSocket channels once they are committed.

::

    class Post(BroadcastsEvents, Model):
        __tablename__ = "posts"

        def broadcast_on(self, event: str) -> list[str]:
            return [PrivateChannel(f"users.{self.user_id}")]

A created post is broadcast as ``PostCreated`` (``PostUpdated``, ``PostDeleted``,
``PostRestored``) with ``{"model": post.to_dict()}``, queued like any ``ShouldBroadcast``
event; a rollback sends nothing. Override ``broadcast_as(event)`` and ``broadcast_with(event)``
to change the name and the data, and answer no channels from ``broadcast_on`` to send nothing.
"""

from __future__ import annotations

import json
from typing import Any

from foundry.broadcasting.events import BroadcastEventJob, current_socket_id

__all__ = ["BroadcastsEvents", "ModelBroadcastObserver"]

#: The model events that are broadcast.
BROADCAST_MODEL_EVENTS = ("created", "updated", "deleted", "restored")


class BroadcastsEvents:
    """Mixin for a model whose changes are broadcast (channels from :meth:`broadcast_on`)."""

    #: The queue broadcast jobs go on (``None``: the connection's default).
    broadcast_queue: str | None = None

    def broadcast_on(self, event: str) -> list[str]:
        """The channels to send ``event`` (``"created"``...) on; none: not broadcast."""
        return []

    def broadcast_as(self, event: str) -> str:
        """The event name: ``PostCreated``."""
        return type(self).__name__ + event.capitalize()

    def broadcast_with(self, event: str) -> dict[str, Any]:
        """The event's data: ``{"model": <the model's visible attributes>}``."""
        to_dict = getattr(self, "to_dict", None)
        attributes = to_dict() if callable(to_dict) else {}
        # Dates, decimals and UUIDs as text: the payload travels as JSON.
        return {"model": json.loads(json.dumps(attributes, default=str))}


class ModelBroadcastObserver:
    """Queues a broadcast for each committed change of a :class:`BroadcastsEvents` model.

    Its methods are ``async``, so the observers run them only after the unit of work
    commits (and never after a rollback).
    """

    async def _broadcast(self, model: BroadcastsEvents, event: str) -> None:
        channels = [str(channel) for channel in model.broadcast_on(event)]
        if not channels:
            return
        job = BroadcastEventJob(
            channels,
            model.broadcast_as(event),
            model.broadcast_with(event),
            current_socket_id.get(),
        )
        if model.broadcast_queue is not None:
            job.queue = model.broadcast_queue
        await job.dispatch()

    async def created(self, model: BroadcastsEvents) -> None:
        """Broadcast ``{Model}Created``."""
        await self._broadcast(model, "created")

    async def updated(self, model: BroadcastsEvents) -> None:
        """Broadcast ``{Model}Updated``."""
        await self._broadcast(model, "updated")

    async def deleted(self, model: BroadcastsEvents) -> None:
        """Broadcast ``{Model}Deleted``."""
        await self._broadcast(model, "deleted")

    async def restored(self, model: BroadcastsEvents) -> None:
        """Broadcast ``{Model}Restored``."""
        await self._broadcast(model, "restored")
