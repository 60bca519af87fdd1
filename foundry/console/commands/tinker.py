"""``tinker``: a Python REPL with the application booted, its models imported, and ``await``.

Top-level ``await`` works as in ``python -m asyncio``: each input is compiled with
``PyCF_ALLOW_TOP_LEVEL_AWAIT`` and, when it turns out to be a coroutine, run to completion on the
one event loop the session keeps, so the database session and pools stay bound to that loop
across inputs (the stdlib's asyncio REPL runs the loop on another thread instead, which
``readline`` and the app's loop-bound clients like less).
"""

from __future__ import annotations

import ast
import asyncio
import code
import contextvars
import inspect
import sys
import types
from collections.abc import Coroutine
from typing import Annotated, Any, TypeVar

import typer

from foundry.console.context import CommandError
from foundry.console.output import Output
from foundry.console.runtime import booted_application, load_config

__all__ = ["AsyncConsole", "tinker"]

T = TypeVar("T")


class AsyncConsole(code.InteractiveConsole):
    """An interactive console whose inputs may ``await``, run on ``loop``."""

    def __init__(
        self,
        namespace: dict[str, Any],
        loop: asyncio.AbstractEventLoop,
        context: contextvars.Context,
    ) -> None:
        super().__init__(namespace, filename="<tinker>")
        self.loop = loop
        #: Every input runs in this one context: the container scope opened at start-up is
        #: current in it, so facades and ``current_container()`` work as in a request.
        self.context = context
        self.compile.compiler.flags |= ast.PyCF_ALLOW_TOP_LEVEL_AWAIT

    def run(self, coroutine: Coroutine[Any, Any, T]) -> T:
        """Run ``coroutine`` to completion on the session's loop, in the session's context."""
        return self.loop.run_until_complete(self.loop.create_task(coroutine, context=self.context))

    def runcode(self, code_object: types.CodeType) -> None:
        """Run one input; a coroutine it produced is awaited on the session's loop."""
        function = types.FunctionType(code_object, self.locals)
        try:
            result = self.context.run(function)
            if inspect.iscoroutine(result):
                self.run(result)
        except SystemExit:
            raise
        except BaseException:  # noqa: BLE001  # the REPL reports it and goes on, like Python's
            self.showtraceback()


def _namespace(config: Any) -> dict[str, Any]:
    """What is at hand: every model by class name, plus SQLAlchemy's query functions."""
    import sqlalchemy

    from foundry.console.commands.model_lookup import application_models

    namespace: dict[str, Any] = {
        "select": sqlalchemy.select,
        "func": sqlalchemy.func,
        "delete": sqlalchemy.delete,
        "update": sqlalchemy.update,
        "text": sqlalchemy.text,
    }
    for model in application_models(config):
        namespace.setdefault(model.__name__, model)
    return namespace


def tinker(
    execute: Annotated[
        str | None, typer.Option("--execute", "-e", help="Run this code and exit")
    ] = None,
) -> None:
    """Interact with your application: a REPL with ``app``, ``container``, ``session``, the
    models and ``select`` at hand; ``await`` works at the top level.

    Changes made through ``session`` are kept only after ``await session.commit()``.
    """
    from sqlalchemy.ext.asyncio import AsyncSession

    config = load_config()
    loop = asyncio.new_event_loop()
    booted = booted_application(config)
    console = AsyncConsole({}, loop, contextvars.copy_context())
    application, scope = console.run(booted.__aenter__())
    try:
        console.locals.update(
            {
                **_namespace(config),
                "app": application,
                "container": application.container,
                "config": application.config,
                "session": scope.make(AsyncSession),
                "__name__": "__tinker__",
            }
        )
        if execute is not None:
            # Compiled as a module ("exec"): several statements and blocks work in one string.
            if console.runsource(execute + "\n", "<tinker>", "exec"):
                raise CommandError("The code given to --execute is incomplete.")
            return
        models = sorted(n for n, v in console.locals.items() if isinstance(v, type))
        banner = (
            f"Foundry tinker (Python {sys.version.split()[0]}): top-level await works.\n"
            f"At hand: app, container, config, session, select, func, {', '.join(models)}"
        )
        Output().line(banner)
        console.interact(banner="", exitmsg="")
    finally:
        console.run(booted.__aexit__(None, None, None))
        loop.close()
