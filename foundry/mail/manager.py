"""The mail manager: named mailers built on first use, reached through the ``Mail`` facade.

``await Mail.to("a@x.test").send(WelcomeMail(user_name="Ada"))`` uses the default mailer
(``MAIL_MAILER``); ``Mail.mailer("smtp")`` names another; ``extend`` adds a driver of your own.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Final

from foundry.config.app import AppSettings
from foundry.config.mail import MailSettings
from foundry.kernel.drivers import DriverFactory, DriverRegistry, Forward
from foundry.kernel.facades import Swappable
from foundry.mail.array_mailer import ArrayMailer
from foundry.mail.errors import UnknownMailerError
from foundry.mail.log_mailer import LogMailer
from foundry.mail.mailable import Mailable
from foundry.mail.mailer import Mailer
from foundry.mail.message import MessageBuilder
from foundry.mail.smtp_mailer import SmtpMailer
from foundry.mail.views import MailViews

if TYPE_CHECKING:
    from foundry.mail.fake import MailFake

__all__ = ["BUILT_IN_MAILERS", "MailManager", "MailerFactory"]

#: Builds a mailer called ``name`` for the manager asking (which holds the message builder).
MailerFactory = Callable[["MailManager", str], Mailer]

_BUILT_IN: Final[Mapping[str, DriverFactory[MailManager, Mailer]]] = MappingProxyType(
    {
        "array": lambda manager, name: ArrayMailer(name, manager.builder),
        "log": lambda manager, name: LogMailer(name, manager.builder),
        "smtp": lambda manager, name: SmtpMailer(name, manager.builder),
    }
)
BUILT_IN_MAILERS: Final = tuple(_BUILT_IN)


class MailManager(Swappable):
    """Holds the named mailers; bound as a singleton, reached through the ``Mail`` facade."""

    def __init__(self, settings: MailSettings, app: AppSettings) -> None:
        self.settings = settings
        self.app = app
        self.views = MailViews(settings.views_path, {"app_name": app.name, "app_url": app.url})
        #: Shared by every mailer: ``.test`` and other special-use domains only outside production.
        self.builder: MessageBuilder = MessageBuilder(
            settings, self.views, allow_test_domains=app.env != "production"
        )
        self._mailers = DriverRegistry(
            self,
            kind="mailer",
            built_in=_BUILT_IN,
            default=lambda: self.settings.mailer,
            error=UnknownMailerError,
        )

    @property
    def default_mailer(self) -> str:
        """The name of the default mailer (``MAIL_MAILER``)."""
        return self.settings.mailer

    def mailer_names(self) -> list[str]:
        """Every mailer name this manager can build."""
        return self._mailers.names()

    def mailer(self, name: str | None = None) -> Mailer:
        """The mailer called ``name`` (default: ``MAIL_MAILER``), built on first use.

        Raises:
            UnknownMailerError: no mailer has that name.
        """
        return self._mailers.driver(name)

    def extend(self, name: str, factory: MailerFactory) -> None:
        """Make ``factory(manager, name)`` the mailer called ``name`` (replacing a built-in one)."""
        self._mailers.extend(name, factory)

    # -- the default mailer's API (each runs the same method of ``mailer()``) --------------------

    send = Forward(mailer, Mailer.send)
    to = Forward(mailer, Mailer.to)
    cc = Forward(mailer, Mailer.cc)
    bcc = Forward(mailer, Mailer.bcc)

    async def queue(self, mailable: Mailable, *, mailer: str | None = None) -> str | None:
        """Queue ``mailable`` for a worker to send (default mailer); returns the job id."""
        return await self.mailer(mailer).queue(mailable)

    def fake(self) -> MailFake:
        """Swap in a :class:`MailFake` (every mailer records instead of sending); returns it."""
        fake: MailFake = self.fake_class()(self.settings, self.app)
        self.swap(fake)
        return fake
