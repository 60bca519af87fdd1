"""``db:seed-oauth2``: the demo OAuth2 clients of ``database/seeders/oauth2_client_seeder.py``."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from database.seeders.oauth2_client_seeder import OAuth2ClientSeeder
from foundry.console.output import Output
from foundry.console.runtime import load_config, run_in_application
from foundry.kernel.application import Application
from foundry.kernel.container import Container

__all__ = ["HELP", "NAME", "handle"]

NAME = "db:seed-oauth2"
HELP = "Create the demo OAuth2 clients (prints their ids and the secret once)"


def handle() -> None:
    """Create the demo OAuth2 clients (idempotent); prints their ids and the new secret."""

    async def work(application: Application, scope: Container) -> OAuth2ClientSeeder:
        session = scope.make(AsyncSession)
        seeder = OAuth2ClientSeeder(session)
        await seeder()
        await session.commit()
        return seeder

    seeder = run_in_application(work, load_config())
    output = Output()
    for created in seeder.created:
        output.info(f"Client [{created.client.name}] created.")
        output.two_column("Client ID", created.client.client_id)
        if created.secret is not None:
            output.two_column("Client secret", created.secret)
    for client_id in seeder.existing:
        output.two_column(f"Client {client_id}", "exists (secret not shown again)")
    if any(c.secret for c in seeder.created):
        output.warn("Store the secret now: it is not shown again.")
