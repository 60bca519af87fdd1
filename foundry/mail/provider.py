"""Binds the mail manager; list ``foundry.mail.provider.MailServiceProvider`` in ``config/app.py``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from foundry.kernel.providers import ServiceProvider
from foundry.mail.manager import MailManager
from foundry.mail.queued import Mailers

if TYPE_CHECKING:
    from foundry.kernel.application import Application
    from foundry.kernel.container import Container

__all__ = ["MailServiceProvider"]


def _mailers(container: Container) -> Mailers:
    return container.make(MailManager)


class MailServiceProvider(ServiceProvider):
    """Registers :class:`MailManager` as a singleton and checks ``MAIL_MAILER`` at start-up."""

    def register(self, container: Container) -> None:
        container.singleton(MailManager)
        # Resolved each time, so a swapped-in fake is what queued mail is sent through.
        container.bind(Mailers, _mailers)

    def boot(self, app: Application) -> None:
        # Building the default mailer does no I/O, but an unknown MAIL_MAILER fails at start-up
        # rather than on the first request that sends mail. Once every provider has booted, so
        # a mailer the app adds with ``extend`` in its own ``boot`` counts.
        app.booted(app.container.make(MailManager).mailer)
