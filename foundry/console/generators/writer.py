"""Rendering stubs and writing the files: one plan per command, all or nothing.

A command first plans every file it will write (:meth:`Generator.add`), then
:meth:`Generator.write` checks that none of them exists (unless ``--force``) before writing
any, so ``make:model --all`` never leaves half of its files behind when one is in the way.
Packages on the way to a file get an ``__init__.py`` so the new module can be imported.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from foundry.config.base import BASE_PATH
from foundry.console.context import CommandError
from foundry.console.generators.exports import export_class
from foundry.console.generators.formatting import format_source
from foundry.console.output import Output

__all__ = ["MODELS_PACKAGE", "STUBS_PATH", "Generator", "PlannedFile", "render", "render_text"]

#: Where the ``*.py.j2`` templates live.
STUBS_PATH = Path(__file__).resolve().parent.parent / "stubs"

#: The package every model is imported in.
MODELS_PACKAGE = Path("app/models")
# Folders whose subfolders are Python packages: an ``__init__.py`` is added on the way down.
_PACKAGE_ROOTS = ("app", "database", "tests")


@cache
def _environment() -> Environment:
    # Python source, not HTML: escaping would corrupt quotes. StrictUndefined turns a
    # misspelt variable into an error instead of an empty string in the generated code.
    return Environment(
        loader=FileSystemLoader(STUBS_PATH),
        undefined=StrictUndefined,
        autoescape=False,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render(stub: str, **context: Any) -> str:
    """Render ``stubs/<stub>.py.j2`` with ``context``, formatted as the project formats code."""
    return format_source(render_text(f"{stub}.py.j2", **context))


def render_text(template: str, **context: Any) -> str:
    """Render the stub file ``template`` (any kind of text) with ``context``, as it is."""
    return _environment().get_template(template).render(**context)


@dataclass(frozen=True, slots=True)
class PlannedFile:
    """A file a command will write: its path relative to the project root, and its text."""

    relative: Path
    content: str
    #: The class to re-export from the package's ``__init__.py`` (see ``exports``), if any.
    export: str | None = None


class Generator:
    """Collects a command's files, then writes them under ``base_path``.

    Args:
        base_path: the project root (``--path``; the real project when ``None``).
        force: overwrite files that exist.
        output: where to report each file written.
    """

    def __init__(self, base_path: Path | None, *, force: bool, output: Output) -> None:
        self.base_path = (base_path or BASE_PATH).resolve()
        self.force = force
        self.output = output
        self.planned: list[PlannedFile] = []

    def path(self, relative: str | Path) -> Path:
        """The absolute path of ``relative`` under the project root."""
        return self.base_path / relative

    def exists(self, relative: str | Path) -> bool:
        """Whether ``relative`` exists already (or is planned by this command)."""
        return self.path(relative).exists() or any(
            planned.relative == Path(relative) for planned in self.planned
        )

    def add(
        self, relative: str | Path, stub: str, *, export: str | None = None, **context: Any
    ) -> None:
        """Plan ``relative`` with the text of ``stub`` rendered with ``context``.

        ``export`` names the class the module defines, to list in its package's ``__all__``.
        """
        self.planned.append(PlannedFile(Path(relative), render(stub, **context), export))

    def add_text(self, relative: str | Path, template: str, **context: Any) -> None:
        """Plan ``relative`` (not Python: a view, say) from the stub file ``template``."""
        self.planned.append(PlannedFile(Path(relative), render_text(template, **context)))

    def write(self) -> list[Path]:
        """Write every planned file; refuse (writing none) if one exists and not ``force``.

        Raises:
            CommandError: naming the first file that already exists.
        """
        if not self.force:
            for planned in self.planned:
                if self.path(planned.relative).exists():
                    raise CommandError(
                        f"File [{planned.relative}] already exists. Use --force to overwrite it."
                    )
        written: list[Path] = []
        for planned in self.planned:
            target = self.path(planned.relative)
            self._ensure_packages(planned.relative.parent)
            target.write_text(planned.content, encoding="utf-8")
            self.output.info(f"File [{planned.relative}] created successfully.")
            written.append(target)
        for planned in self.planned:
            if planned.export is not None:
                self._export(planned.relative, planned.export)
        self.planned = []
        return written

    def _export(self, relative: Path, class_name: str) -> None:
        init = relative.parent / "__init__.py"
        module = ".".join(relative.with_suffix("").parts)
        # The models must all be imported there, for migrations; other packages opt in.
        required = relative.parent == MODELS_PACKAGE
        if export_class(self.path(init), module, class_name, required=required):
            self.output.info(f"{class_name} exported from [{init}].")

    def _ensure_packages(self, folder: Path) -> None:
        parts = folder.parts
        if not parts or parts[0] not in _PACKAGE_ROOTS:
            self.path(folder).mkdir(parents=True, exist_ok=True)
            return
        for depth in range(1, len(parts) + 1):
            package = Path(*parts[:depth])
            self.path(package).mkdir(exist_ok=True)
            init = self.path(package / "__init__.py")
            if not init.exists():
                stub = "models_init" if package == MODELS_PACKAGE else "package"
                init.write_text(render(stub, package=".".join(package.parts)), "utf-8")
                self.output.info(f"File [{package / '__init__.py'}] created successfully.")
