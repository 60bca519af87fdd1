"""Cache tags: entries stored under a set of tags, flushed together by any one of them.

Each tag has an id stored in the cache; an entry's stored key starts with a hash of its tags' ids,
so flushing a tag (giving it a new id) makes every entry stored with it unreachable at once, in
every process. The store also remembers which keys each tag wrote and deletes them, so flushed
entries do not linger until they expire. Tags are part of the key: an entry put with
``tags(["a", "b"])`` is read back with ``tags(["a", "b"])``, not with ``tags(["a"])``.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Sequence

from foundry.cache.repository import Repository
from foundry.cache.serialization import dumps, loads
from foundry.cache.store import TaggableStore

__all__ = ["TagSet", "TaggedCache"]


class TagSet:
    """The tag names of a tagged cache and their current ids."""

    def __init__(self, store: TaggableStore, names: Sequence[str]) -> None:
        self.store = store
        self.names = list(names)

    @staticmethod
    def id_key(name: str) -> str:
        """The cache key holding the current id of tag ``name``."""
        return f"__tag:{name}:id"

    async def tag_id(self, name: str) -> str:
        """The current id of tag ``name``, creating one if it has none."""
        key = self.id_key(name)
        text = await self.store.get(key)
        if text is None:
            # add(), not put(): two processes creating the id at once must agree on one.
            fresh = dumps(secrets.token_hex(12))
            if await self.store.add(key, fresh, None):
                return str(loads(fresh))
            text = await self.store.get(key) or fresh
        return str(loads(text))

    async def namespace(self) -> str:
        """The ids of every tag, joined: part of every key stored under this tag set."""
        return "|".join([await self.tag_id(name) for name in self.names])

    async def reset(self, name: str) -> None:
        """Give tag ``name`` a new id, orphaning everything stored under the old one."""
        await self.store.put(self.id_key(name), dumps(secrets.token_hex(12)), None)


class TaggedCache(Repository):
    """A repository whose keys are scoped to a tag set; ``flush()`` flushes those tags only."""

    def __init__(self, store: TaggableStore, tags: TagSet, name: str = "") -> None:
        super().__init__(store, name)
        self.tag_set = tags
        self._taggable = store

    async def _keys(self, keys: Sequence[str]) -> list[str]:
        scope = hashlib.sha1(
            (await self.tag_set.namespace()).encode(), usedforsecurity=False
        ).hexdigest()
        return [f"{scope}:{key}" for key in keys]

    async def _written(self, keys: Sequence[str], ttl: float | None) -> None:
        for name in self.tag_set.names:
            for key in keys:
                await self._taggable.tag_key(name, key, ttl)

    async def flush(self) -> None:
        """Remove every entry stored under any of these tags (and only those)."""
        for name in self.tag_set.names:
            await self._taggable.flush_tag(name)
            await self.tag_set.reset(name)
