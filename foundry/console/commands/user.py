"""``user:create``: add a user from the command line, with flags or by answering prompts.

::

    artisan user:create --name "Ada" --email ada@example.com --verified   # asks for the password

Missing values are asked for on a terminal (the password hidden, typed twice). Without a
terminal (CI, scripts) a missing value is an error, unless ``--interactive`` says the answers
come on standard input. The password is never printed or logged; only the new id is.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Annotated

import typer
from email_validator import EmailNotValidError, validate_email

from foundry.config.auth import AuthSettings
from foundry.console.context import CommandError
from foundry.console.output import Output
from foundry.console.runtime import load_config, run_in_application
from foundry.kernel.application import Application
from foundry.kernel.config import ConfigRepository
from foundry.kernel.container import Container

__all__ = ["NewUser", "create_user", "user_create", "valid_email"]


@dataclass(frozen=True, slots=True)
class NewUser:
    """What ``user:create`` was told: checked, not yet stored."""

    name: str
    email: str
    password: str
    verified: bool

    def __repr__(self) -> str:
        # Keep the password out of tracebacks and logs.
        return f"NewUser(name={self.name!r}, email={self.email!r}, verified={self.verified})"


def valid_email(email: str) -> str:
    """``email`` normalized (lower case), or a :class:`CommandError` saying what is wrong."""
    try:
        checked = validate_email(email.strip(), check_deliverability=False)
    except EmailNotValidError as exc:
        raise CommandError(f"The email is not valid: {exc}") from None
    return checked.normalized.lower()


def _ask(value: str | None, label: str, *, interactive: bool, secret: bool = False) -> str:
    if value is not None:
        return value
    if not interactive:
        raise CommandError(
            f"No {label.lower()} given and no terminal to ask on: pass --{label.lower()}."
        )
    answer: str = typer.prompt(label, hide_input=secret, confirmation_prompt=secret)
    return answer


def user_create(
    name: Annotated[str | None, typer.Option("--name", help="The user's name")] = None,
    email: Annotated[str | None, typer.Option("--email", help="The user's email address")] = None,
    password: Annotated[
        str | None,
        typer.Option("--password", help="The password (asked for, hidden, when left out)"),
    ] = None,
    verified: Annotated[
        bool, typer.Option("--verified", help="Mark the email address as verified")
    ] = False,
    interactive: Annotated[
        bool,
        typer.Option("--interactive", help="Ask for missing values even without a terminal"),
    ] = False,
) -> None:
    """Create a user; prints the new user's id."""
    config = load_config()
    asking = interactive or sys.stdin.isatty()
    name = _ask(name, "Name", interactive=asking).strip()
    if not name:
        raise CommandError("The name must not be empty.")
    address = valid_email(_ask(email, "Email", interactive=asking))
    secret = _ask(password, "Password", interactive=asking, secret=True)
    _check_strength(config, secret, email=address, name=name)
    user_id = create_user(config, NewUser(name, address, secret, verified))
    output = Output()
    output.info(f"User [{user_id}] created.")
    # The id alone on stdout's last line, for scripts: `artisan user:create ... | tail -1`.
    output.line(str(user_id))


def _check_strength(config: ConfigRepository, password: str, *, email: str, name: str) -> None:
    from foundry.auth.passwords import PasswordRules

    rules = PasswordRules.from_settings(config.settings(AuthSettings))
    problems = rules.check(password, email=email, name=name)
    if problems:
        raise CommandError("The password is too weak: " + " ".join(problems))


def create_user(config: ConfigRepository, new: NewUser) -> int:
    """Store ``new`` in a booted application and return its id.

    Refuses an email already taken, by a live or a soft-deleted user (the column is unique).
    """
    from sqlalchemy.exc import IntegrityError
    from sqlalchemy.ext.asyncio import AsyncSession

    from foundry.auth.passwords import PasswordHasher
    from foundry.auth.user_provider import UserProvider
    from foundry.database.soft_deletes import SoftDeletes

    taken = CommandError(f"A user with the email {new.email} already exists.")

    async def work(application: Application, scope: Container) -> int:
        session = scope.make(AsyncSession)
        users = scope.make(UserProvider)
        # Soft-deleted users keep their (unique) email: look among them too.
        query = users.model.scope_email(new.email)
        if issubclass(users.model, SoftDeletes):
            query = users.model.with_trashed(query)
        existing = await session.scalar(query.limit(1))
        if existing is not None:
            raise taken
        user = users.make(
            name=new.name,
            email=new.email,
            password=await scope.make(PasswordHasher).hash(new.password),
            email_verified_at=datetime.now(UTC) if new.verified else None,
        )
        session.add(user)
        try:
            await session.commit()
        except IntegrityError:  # created by someone else since the check
            await session.rollback()
            raise taken from None
        return user.id

    return run_in_application(work, config)
