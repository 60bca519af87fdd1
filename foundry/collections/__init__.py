"""Laravel-style typed collections: ``Collection[T]``, ``collect()`` and their errors."""

from foundry.collections.collection import Collection, collect
from foundry.collections.data import Operator, data_get
from foundry.collections.errors import ItemNotFoundError, MultipleItemsFoundError

__all__ = [
    "Collection",
    "ItemNotFoundError",
    "MultipleItemsFoundError",
    "Operator",
    "collect",
    "data_get",
]
