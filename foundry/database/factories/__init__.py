"""Model factories: typed builders of models filled with Faker values, for tests and seeders.

See :class:`~foundry.database.factories.factory.Factory` for the API.
"""

from foundry.database.factories.attributes import (
    Attributes,
    FactoryError,
    Sequence,
    SequenceItem,
    State,
)
from foundry.database.factories.factory import AfterCreating, AfterMaking, Factory
from foundry.database.factories.fakers import default_faker, seeded_faker

__all__ = [
    "AfterCreating",
    "AfterMaking",
    "Attributes",
    "Factory",
    "FactoryError",
    "Sequence",
    "SequenceItem",
    "State",
    "default_faker",
    "seeded_faker",
]
