"""The mail manager: named mailers built on first use, reached through the ``Mail`` facade.

``await Mail.to("a@x.test").send(WelcomeMail(user_name="Ada"))`` uses the default mailer
(``MAIL_MAILER``); ``Mail.mailer("smtp")`` names another; ``extend`` adds a driver of your own.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from foundry.config.app import AppSettings
from foundry.config.mail import MailSettings
from foundry.kernel.facades import Swappable
from foundry.mail.address import AddressLike
from foundry.mail.array_mailer import ArrayMailer
from foundry.mail.errors import UnknownMailerError
from foundry.mail.log_mailer import LogMailer
from foundry.mail.mailable import Mailable
from foundry.mail.mailer import Mailer, PendingMail
from foundry.mail.message import MessageBuilder, SentMessage
from foundry.mail.smtp_mailer import SmtpMailer
from foundry.mail.views import MailViews

if TYPE_CHECKING:
    from foundry.mail.fake import MailFake

__all__ = ["BUILT_IN_MAILERS", "MailManager", "MailerFactory"]

#: Builds a mailer called ``name`` for the manager asking (which holds the message builder).
MailerFactory = Callable[["MailManager", str], Mailer]
BUILT_IN_MAILERS = ("array", "log", "smtp")


class MailManager(Swappable):
    """Holds the named mailers; bound as a singleton, reached through the ``Mail`` facade."""

    def __init__(self, settings: MailSettings, app: AppSettings) -> None:
        self.settings = settings
        self.app = app
        self.views = MailViews(settings.views_path, {"app_name": app.name, "app_url": app.url})
        #: Shared by every mailer: ``.test`` and other special-use domains only outside production.
        self.builder = MessageBuilder(
            settings, self.views, allow_test_domains=app.env != "production"
        )
        self._mailers: dict[str, Mailer] = {}
        self._factories: dict[str, MailerFactory] = {}

    @property
    def default_mailer(self) -> str:
        """The name of the default mailer (``MAIL_MAILER``)."""
        return self.settings.mailer

    def mailer_names(self) -> list[str]:
        """Every mailer name this manager can build."""
        return [*BUILT_IN_MAILERS, *(n for n in self._factories if n not in BUILT_IN_MAILERS)]

    def mailer(self, name: str | None = None) -> Mailer:
        """The mailer called ``name`` (default: ``MAIL_MAILER``), built on first use."""
        name = name or self.default_mailer
        mailer = self._mailers.get(name)
        if mailer is None:
            mailer = self._mailers[name] = self._create(name)
        return mailer

    def extend(self, name: str, factory: MailerFactory) -> None:
        """Make ``factory(manager, name)`` the mailer called ``name`` (replacing a built-in one)."""
        self._factories[name] = factory
        self._mailers.pop(name, None)

    def _create(self, name: str) -> Mailer:
        factory = self._factories.get(name)
        if factory is not None:
            return factory(self, name)
        if name == "log":
            return LogMailer(name, self.builder)
        if name == "smtp":
            return SmtpMailer(name, self.builder)
        if name == "array":
            return ArrayMailer(name, self.builder)
        raise UnknownMailerError(
            f"mailer {name!r} is not defined; known mailers: {', '.join(self.mailer_names())}"
        )

    # -- the default mailer's API --------------------------------------------------------------

    async def send(self, mailable: Mailable, *, after_commit: bool = True) -> SentMessage:
        """Send ``mailable`` with the default mailer (see :meth:`Mailer.send`)."""
        return await self.mailer().send(mailable, after_commit=after_commit)

    async def queue(self, mailable: Mailable, *, mailer: str | None = None) -> str | None:
        """Queue ``mailable`` for a worker to send (default mailer); returns the job id."""
        return await self.mailer(mailer).queue(mailable)

    def to(self, address: AddressLike, name: str | None = None) -> PendingMail:
        """Start a message to ``address`` on the default mailer."""
        return self.mailer().to(address, name)

    def cc(self, address: AddressLike, name: str | None = None) -> PendingMail:
        """Start a message with ``address`` in copy, on the default mailer."""
        return self.mailer().cc(address, name)

    def bcc(self, address: AddressLike, name: str | None = None) -> PendingMail:
        """Start a message with ``address`` in blind copy, on the default mailer."""
        return self.mailer().bcc(address, name)

    def fake(self) -> MailFake:
        """Swap in a :class:`MailFake` (every mailer records instead of sending); returns it."""
        from foundry.mail.fake import MailFake  # the fake subclasses this manager

        fake = MailFake(self.settings, self.app)
        self.swap(fake)
        return fake
