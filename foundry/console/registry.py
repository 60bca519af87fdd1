"""The command registry: names, one-line help and where each command lives.

The registry is plain data on purpose. ``artisan list`` (and unknown-command suggestions) read it
without importing a single command module, so listing commands never loads the web stack, the
ORM or a database driver. A command's module is imported only when that command runs.
"""

from __future__ import annotations

import difflib
import importlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

__all__ = ["CommandRegistry", "CommandSpec", "UnknownCommandError"]


class UnknownCommandError(LookupError):
    """No command has that name; ``suggestions`` holds the closest names."""

    def __init__(self, name: str, suggestions: list[str]) -> None:
        self.name = name
        self.suggestions = suggestions
        message = f'Command "{name}" is not defined.'
        if suggestions:
            message += " Did you mean " + ", ".join(suggestions) + "?"
        super().__init__(message)


@dataclass(frozen=True, slots=True)
class CommandSpec:
    """One command: ``name`` (``namespace:verb`` or a bare word), its help line and its target.

    ``target`` is ``"package.module:attribute"``: a typer command callback, or a ``typer.Typer``
    holding exactly one command when the command needs settings of its own.
    """

    name: str
    help: str
    target: str

    def __post_init__(self) -> None:
        if ":" not in self.target:
            raise ValueError(f"target of {self.name!r} must be 'module:function'")

    @property
    def namespace(self) -> str:
        """The part before the first colon; empty for top-level commands such as ``migrate``."""
        prefix, colon, _ = self.name.partition(":")
        return prefix if colon else ""

    def load(self) -> Callable[..., Any]:
        """Import the command's module and return the target (a callback or a ``typer.Typer``)."""
        module_name, _, attribute = self.target.partition(":")
        callback: object = getattr(importlib.import_module(module_name), attribute)
        if not callable(callback):
            raise TypeError(f"{self.target} is not callable")
        return callback


class CommandRegistry:
    """Commands by name, in registration order; a later registration replaces an earlier one."""

    def __init__(self, specs: Iterable[CommandSpec] = ()) -> None:
        self._specs: dict[str, CommandSpec] = {}
        for spec in specs:
            self.register(spec)

    def register(self, spec: CommandSpec) -> None:
        """Add ``spec`` (or replace the command of the same name)."""
        self._specs[spec.name] = spec

    def __contains__(self, name: object) -> bool:
        return name in self._specs

    def __iter__(self) -> Iterator[CommandSpec]:
        return iter(self._specs.values())

    def __len__(self) -> int:
        return len(self._specs)

    def names(self) -> list[str]:
        """Every command name, sorted."""
        return sorted(self._specs)

    def find(self, name: str) -> CommandSpec | None:
        """The command called ``name``, or ``None``."""
        return self._specs.get(name)

    def get(self, name: str) -> CommandSpec:
        """The command called ``name``; raises :class:`UnknownCommandError` with suggestions."""
        spec = self._specs.get(name)
        if spec is None:
            raise UnknownCommandError(name, self.suggest(name))
        return spec

    def suggest(self, name: str, *, limit: int = 3) -> list[str]:
        """The names closest to a mistyped ``name``, best first.

        Besides difflib's similarity, a name that starts with ``name`` or contains it as a whole
        segment counts (``artisan migrate:stat`` -> ``migrate:status``; ``seed`` -> ``db:seed``).
        """
        names = self.names()
        close = difflib.get_close_matches(name, names, n=limit, cutoff=0.6)
        partial = [
            candidate
            for candidate in names
            if candidate.startswith(name) or name in candidate.split(":")
        ]
        ordered = list(dict.fromkeys([*close, *partial]))
        return ordered[:limit]

    def grouped(self, namespace: str | None = None) -> list[tuple[str, list[CommandSpec]]]:
        """``(namespace, commands)`` pairs as Laravel lists them: top level first, then A-Z.

        ``namespace`` keeps only that group (``artisan list migrate``).
        """
        groups: dict[str, list[CommandSpec]] = {}
        for spec in sorted(self._specs.values(), key=lambda s: s.name):
            groups.setdefault(spec.namespace, []).append(spec)
        ordered = sorted(groups.items(), key=lambda item: (item[0] != "", item[0]))
        if namespace is not None:
            ordered = [item for item in ordered if item[0] == namespace]
        return ordered

    def namespaces(self) -> list[str]:
        """The namespace names in use, sorted (the top level, ``""``, left out)."""
        return sorted({spec.namespace for spec in self._specs.values()} - {""})
