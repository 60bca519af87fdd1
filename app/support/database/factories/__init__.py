"""Model factories: typed builders of models filled with Faker values, for tests and seeders.

See :class:`~app.support.database.factories.factory.Factory` for the API.
"""

from app.support.database.factories.attributes import (
    Attributes,
    FactoryError,
    Sequence,
    SequenceItem,
    State,
)
from app.support.database.factories.factory import AfterCreating, AfterMaking, Factory
from app.support.database.factories.fakers import default_faker, seeded_faker

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
