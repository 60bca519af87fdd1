"""Laravel-style typed collections: ``Collection[T]``, ``collect()`` and their errors."""

from app.support.collections.collection import Collection, collect
from app.support.collections.data import Operator, data_get
from app.support.collections.errors import ItemNotFoundError, MultipleItemsFoundError

__all__ = [
    "Collection",
    "ItemNotFoundError",
    "MultipleItemsFoundError",
    "Operator",
    "collect",
    "data_get",
]
