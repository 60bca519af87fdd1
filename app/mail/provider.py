"""Binds the mail manager; list ``app.mail.provider.MailServiceProvider`` in ``config/app.py``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from app.mail.manager import MailManager
from app.support.providers import ServiceProvider

if TYPE_CHECKING:
    from app.support.application import Application
    from app.support.container import Container

__all__ = ["MailServiceProvider"]


class MailServiceProvider(ServiceProvider):
    """Registers :class:`MailManager` as a singleton and checks ``MAIL_MAILER`` at start-up."""

    def register(self, container: Container) -> None:
        container.singleton(MailManager)

    def boot(self, app: Application) -> None:
        # Building the default mailer does no I/O, but an unknown MAIL_MAILER fails here, at
        # start-up, rather than on the first request that sends mail.
        app.container.make(MailManager).mailer()
