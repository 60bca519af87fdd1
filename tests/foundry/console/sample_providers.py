"""Events, listeners and an observer declared by providers, for ``event:list`` and
``model:show``; enabled in a test with :data:`PROVIDERS_WITH_SAMPLES` as ``APP_PROVIDERS``."""

from __future__ import annotations

import json
from dataclasses import dataclass

from foundry.jobs.contracts import ShouldQueue
from tests.foundry.testbench.config.app import PROVIDERS
from tests.foundry.testbench.models import User
from tests.foundry.testbench.providers import EventServiceProvider, ObserverServiceProvider

__all__ = [
    "PROVIDERS_WITH_SAMPLES",
    "OrderPlaced",
    "ReserveStock",
    "SampleEvents",
    "SampleObservers",
    "UserAudit",
    "UserRegistered",
    "record_signup",
]


@dataclass
class UserRegistered:
    user_id: int


@dataclass
class OrderPlaced:
    order_id: int


async def record_signup(event: UserRegistered) -> None:
    """A listener function."""


class ReserveStock(ShouldQueue):
    """A queued listener class."""

    async def handle(self, event: OrderPlaced) -> None:
        """Nothing: only listed."""


class UserAudit:
    """An observer of ``User``."""

    def created(self, user: User) -> None:
        """Nothing: only listed."""


class SampleEvents(EventServiceProvider):
    listen = {UserRegistered: [record_signup], OrderPlaced: [ReserveStock]}


class SampleObservers(ObserverServiceProvider):
    observers = {User: [UserAudit]}


#: ``APP_PROVIDERS`` for the test application plus the two providers above.
PROVIDERS_WITH_SAMPLES = json.dumps(
    [*PROVIDERS, f"{__name__}.SampleEvents", f"{__name__}.SampleObservers"]
)
