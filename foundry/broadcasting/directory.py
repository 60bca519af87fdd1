"""Who is on each channel across every server process: what the HTTP API's channel queries and
presence member lists answer.

:class:`LocalDirectory` answers from this process's own channels (one server process).
:class:`RedisDirectory` (``REVERB_SCALING_ENABLED``) has each process write the state of its own
channels into one Redis hash of its own, ``{REDIS_PREFIX}{REVERB_SCALING_CHANNEL}:process:{id}``
(channel name -> ``{"s": subscriptions, "u": {user_id: user_info}}``), and reads merge the hashes
of every live process. A heartbeat rewrites the hash and renews its expiry, so the entries of a
process that crashed (and never said goodbye) disappear on their own after :data:`STATE_TTL`.

Each write is one Lua script that also reads the other processes' state of the same channel, so
"is this user on the channel elsewhere?" is answered atomically with the write: two connections
of one user joining (or leaving) on two processes at once announce ``member_added`` (or
``member_removed``) exactly once between them.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import secrets
from abc import ABC, abstractmethod
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from foundry.broadcasting.channels import ChannelState, LocalChannels
from foundry.broadcasting.protocol import ChannelKind

if TYPE_CHECKING:
    from redis.asyncio import Redis
    from redis.typing import EncodableT, FieldT

__all__ = ["STATE_TTL", "ChannelDirectory", "ChannelSummary", "LocalDirectory", "RedisDirectory"]

logger = logging.getLogger("foundry.broadcasting")

#: Seconds a process's channel state outlives its last heartbeat (one every third of it).
STATE_TTL = 30.0


@dataclass(frozen=True, slots=True)
class ChannelSummary:
    """One channel as one or more processes see it: subscriptions and presence users."""

    subscriptions: int = 0
    #: Each user once, with the ``user_info`` of the first connection seen.
    users: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def of(cls, channel: ChannelState) -> ChannelSummary:
        """The summary of one process's local channel."""
        users: dict[str, Any] = {}
        for member in channel.members.values():
            users.setdefault(member.user_id, member.user_info)
        return cls(len(channel.subscribers), users)

    @classmethod
    def merge(cls, summaries: Iterable[ChannelSummary]) -> ChannelSummary:
        """Several processes' summaries of one channel as one."""
        subscriptions, users = 0, dict[str, Any]()
        for summary in summaries:
            subscriptions += summary.subscriptions
            for user_id, info in summary.users.items():
                users.setdefault(user_id, info)
        return cls(subscriptions, users)

    @property
    def occupied(self) -> bool:
        """Whether anyone is subscribed."""
        return self.subscriptions > 0

    def presence(self) -> dict[str, Any]:
        """The ``presence`` object of ``pusher_internal:subscription_succeeded``."""
        return {"ids": list(self.users), "hash": dict(self.users), "count": len(self.users)}


class ChannelDirectory(ABC):
    """The channels of every server process, as the HTTP API and presence channels need them."""

    def __init__(self, channels: LocalChannels) -> None:
        self.local = channels

    async def start(self) -> None:
        """Begin keeping this process's state visible to the others (idempotent)."""

    async def stop(self) -> None:
        """Withdraw this process's state; later :meth:`record` calls do nothing."""

    @abstractmethod
    async def record(self, name: str, *, others: bool = False) -> list[ChannelSummary]:
        """Publish this process's current state of channel ``name`` (after a subscribe or an
        unsubscribe); with ``others``, the other processes' summaries of it, read atomically
        with the write."""

    @abstractmethod
    async def channel(self, name: str) -> ChannelSummary:
        """Channel ``name`` across every process."""

    @abstractmethod
    async def channels(self) -> dict[str, ChannelSummary]:
        """Every occupied channel across every process."""


class LocalDirectory(ChannelDirectory):
    """One server process: its own channels are all there is."""

    async def record(self, name: str, *, others: bool = False) -> list[ChannelSummary]:
        return []

    async def channel(self, name: str) -> ChannelSummary:
        found = self.local.get(name)
        return ChannelSummary.of(found) if found is not None else ChannelSummary()

    async def channels(self) -> dict[str, ChannelSummary]:
        return {channel.name: ChannelSummary.of(channel) for channel in self.local}


# ARGV: namespace, process id, ttl (ms), channel, state ("" when no longer subscribed here),
# "1" to answer the other processes' states of the channel. Registering the process id in the
# set in the same script as the write means a reader never drops a process that just wrote.
_RECORD = """
local ns, me, channel, state = ARGV[1], ARGV[2], ARGV[4], ARGV[5]
local own = ns .. 'process:' .. me
if state == '' then
  redis.call('HDEL', own, channel)
else
  redis.call('HSET', own, channel, state)
  redis.call('PEXPIRE', own, ARGV[3])
  redis.call('SADD', ns .. 'processes', me)
end
local found = {}
if ARGV[6] == '1' then
  for _, other in ipairs(redis.call('SMEMBERS', ns .. 'processes')) do
    if other ~= me then
      local value = redis.call('HGET', ns .. 'process:' .. other, channel)
      if value then table.insert(found, value) end
    end
  end
end
return found
"""

# ARGV: namespace, channel ("" for all: then name, state pairs). A process whose hash is gone
# (expired after a crash, or empty) leaves the set; it re-registers with its next write.
_READ = """
local ns, channel = ARGV[1], ARGV[2]
local found = {}
for _, process in ipairs(redis.call('SMEMBERS', ns .. 'processes')) do
  local key = ns .. 'process:' .. process
  if redis.call('EXISTS', key) == 0 then
    redis.call('SREM', ns .. 'processes', process)
  elseif channel == '' then
    for _, value in ipairs(redis.call('HGETALL', key)) do table.insert(found, value) end
  else
    local value = redis.call('HGET', key, channel)
    if value then table.insert(found, value) end
  end
end
return found
"""


class RedisDirectory(ChannelDirectory):
    """Every process's channels in Redis, under ``namespace`` (see the module docstring).

    ``redis`` is the app's shared client. Writes are serialized in this process so that the
    last one Redis applies always carries the newest local state.
    """

    def __init__(
        self,
        redis: Redis,
        namespace: str,
        channels: LocalChannels,
        *,
        ttl: float = STATE_TTL,
        process_id: str | None = None,
    ) -> None:
        super().__init__(channels)
        self.redis = redis
        self.namespace = namespace
        self.ttl = ttl
        self.process_id = process_id or secrets.token_hex(8)
        self._record = redis.register_script(_RECORD)
        self._read = redis.register_script(_READ)
        self._lock = asyncio.Lock()
        self._heartbeat: asyncio.Task[None] | None = None
        self._stopped = False

    @property
    def _own_key(self) -> str:
        return f"{self.namespace}process:{self.process_id}"

    async def start(self) -> None:
        self._stopped = False
        if self._heartbeat is None:
            self._heartbeat = asyncio.create_task(self._beat(), name="broadcasting-directory")

    async def stop(self) -> None:
        self._stopped = True
        task, self._heartbeat = self._heartbeat, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        async with self._lock:
            with contextlib.suppress(Exception):  # Redis is down: the hash expires by itself
                async with self.redis.pipeline(transaction=True) as pipe:
                    pipe.delete(self._own_key)
                    pipe.srem(f"{self.namespace}processes", self.process_id)
                    await pipe.execute()

    async def record(self, name: str, *, others: bool = False) -> list[ChannelSummary]:
        if self._stopped:
            return []
        try:
            async with self._lock:
                found = self.local.get(name)
                state = _encode(ChannelSummary.of(found), found.kind) if found is not None else ""
                values = await self._record(
                    args=[
                        self.namespace,
                        self.process_id,
                        int(self.ttl * 1000),
                        name,
                        state,
                        "1" if others else "0",
                    ]
                )
        except Exception:  # the connection goes on with what this process knows; the
            # heartbeat writes the whole state again once Redis is back
            logger.warning("broadcasting could not record channel state in Redis", exc_info=True)
            return []
        return [summary for summary in map(_decode, values) if summary is not None]

    async def channel(self, name: str) -> ChannelSummary:
        values = await self._read(args=[self.namespace, name])
        return ChannelSummary.merge(s for s in map(_decode, values) if s is not None)

    async def channels(self) -> dict[str, ChannelSummary]:
        values = await self._read(args=[self.namespace, ""])
        by_name: dict[str, list[ChannelSummary]] = {}
        for raw_name, value in zip(values[::2], values[1::2], strict=True):
            summary = _decode(value)
            if summary is not None:
                name = raw_name.decode() if isinstance(raw_name, bytes) else str(raw_name)
                by_name.setdefault(name, []).append(summary)
        found = {name: ChannelSummary.merge(parts) for name, parts in by_name.items()}
        return {name: summary for name, summary in found.items() if summary.occupied}

    async def _beat(self) -> None:
        while True:
            try:
                await self.write_all()
            except asyncio.CancelledError:
                raise
            except Exception:
                logger.warning("broadcasting heartbeat could not reach Redis", exc_info=True)
            await asyncio.sleep(self.ttl / 3)

    async def write_all(self) -> None:
        """Rewrite this process's whole state and renew its expiry (the heartbeat)."""
        async with self._lock:
            if self._stopped:
                return
            state: dict[FieldT, EncodableT] = {
                c.name: _encode(ChannelSummary.of(c), c.kind) for c in self.local
            }
            async with self.redis.pipeline(transaction=True) as pipe:
                pipe.delete(self._own_key)
                if state:
                    pipe.hset(self._own_key, mapping=state)
                    pipe.pexpire(self._own_key, int(self.ttl * 1000))
                    pipe.sadd(f"{self.namespace}processes", self.process_id)
                await pipe.execute()


def _encode(summary: ChannelSummary, kind: ChannelKind) -> str:
    state: dict[str, Any] = {"s": summary.subscriptions}
    if kind is ChannelKind.PRESENCE:
        state["u"] = summary.users
    return json.dumps(state, separators=(",", ":"))


def _decode(value: object) -> ChannelSummary | None:
    """One process's state of a channel; ``None`` if it is not what :func:`_encode` writes."""
    try:
        state = json.loads(value) if isinstance(value, (str, bytes)) else None
    except ValueError:
        return None
    if not isinstance(state, dict) or not isinstance(state.get("s"), int):
        return None
    users = state.get("u", {})
    return ChannelSummary(state["s"], users if isinstance(users, dict) else {})
