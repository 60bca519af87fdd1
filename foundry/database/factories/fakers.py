"""The Faker generators factories draw their values from.

An unseeded factory shares one generator per locale for the whole process: building a ``Faker``
costs ~160 ms the first time, and sharing it keeps ``faker.unique`` unique across factories. A
seeded factory gets a fresh generator for every ``make``/``create`` call, seeded the same way each
time, so a test can assert the values it produces.
"""

from __future__ import annotations

from functools import cache

from faker import Faker

__all__ = ["DEFAULT_LOCALE", "default_faker", "seeded_faker"]

DEFAULT_LOCALE = "en_US"


@cache
def default_faker(locale: str = DEFAULT_LOCALE) -> Faker:
    """The process-wide generator for ``locale`` (built on first use)."""
    return Faker(locale)


def seeded_faker(seed: int, locale: str = DEFAULT_LOCALE) -> Faker:
    """A new generator for ``locale`` whose values depend only on ``seed``.

    ``seed_instance`` gives the generator its own random state, so seeding it never changes
    what other factories (or ``default_faker``) produce.
    """
    faker = Faker(locale)
    faker.seed_instance(seed)
    return faker
