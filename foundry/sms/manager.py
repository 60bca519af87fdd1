"""The SMS manager: named drivers built on first use, reached through the ``Sms`` facade.

``await Sms.send("+14155550123", "Your table is ready.")`` uses the default driver
(``SMS_DRIVER``); ``Sms.driver("twilio")`` names another; ``extend`` adds a driver of your own.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Final

from foundry.config.sms import SmsSettings
from foundry.kernel.drivers import DriverFactory, DriverRegistry, Forward
from foundry.kernel.facades import Swappable
from foundry.sms.array_driver import ArrayDriver
from foundry.sms.driver import SmsDriver
from foundry.sms.errors import UnknownSmsDriverError
from foundry.sms.log_driver import LogDriver
from foundry.sms.twilio_driver import TwilioDriver

if TYPE_CHECKING:
    from foundry.sms.fake import SmsFake

__all__ = ["BUILT_IN_DRIVERS", "SmsDriverFactory", "SmsManager"]

#: Builds the driver called ``name`` for the manager asking (which holds the settings).
SmsDriverFactory = Callable[["SmsManager", str], SmsDriver]

_BUILT_IN: Final[Mapping[str, DriverFactory[SmsManager, SmsDriver]]] = MappingProxyType(
    {
        "array": lambda manager, name: ArrayDriver(name, manager.settings),
        "log": lambda manager, name: LogDriver(name, manager.settings),
        "twilio": lambda manager, name: TwilioDriver(name, manager.settings),
    }
)
BUILT_IN_DRIVERS: Final = tuple(_BUILT_IN)


class SmsManager(Swappable):
    """Holds the named SMS drivers; bound as a singleton, reached through the ``Sms`` facade."""

    def __init__(self, settings: SmsSettings) -> None:
        self.settings: SmsSettings = settings
        self._drivers = DriverRegistry(
            self,
            kind="SMS driver",
            built_in=_BUILT_IN,
            default=lambda: self.settings.driver,
            error=UnknownSmsDriverError,
        )

    @property
    def default_driver(self) -> str:
        """The name of the default driver (``SMS_DRIVER``)."""
        return self.settings.driver

    def driver_names(self) -> list[str]:
        """Every driver name this manager can build."""
        return self._drivers.names()

    def driver(self, name: str | None = None) -> SmsDriver:
        """The driver called ``name`` (default: ``SMS_DRIVER``), built on first use.

        Raises:
            UnknownSmsDriverError: no driver has that name.
            SmsConfigurationError: the driver lacks a setting it needs.
        """
        return self._drivers.driver(name)

    def extend(self, name: str, factory: SmsDriverFactory) -> None:
        """Make ``factory(manager, name)`` the driver called ``name`` (replacing a built-in one)."""
        self._drivers.extend(name, factory)

    #: Send with the default driver: ``await Sms.send("+14155550123", "Hello")``.
    send = Forward(driver, SmsDriver.send)

    async def aclose(self) -> None:
        """Close every driver built so far (on app shutdown)."""
        for driver in self._drivers.release():
            await driver.aclose()

    def fake(self) -> SmsFake:
        """Swap in a :class:`SmsFake` (every driver records instead of sending); returns it."""
        fake: SmsFake = self.fake_class()(self.settings)
        self.swap(fake)
        return fake
