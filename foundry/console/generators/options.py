"""The options every ``make:*`` command shares: ``--force`` and ``--path``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from foundry.console.generators.names import Name
from foundry.console.generators.writer import Generator
from foundry.console.output import Output

__all__ = ["BasePathOption", "ForceOption", "ModelOption", "NameArgument", "generator_for"]

NameArgument = Annotated[str, typer.Argument(help="The class name: BlogPost or blog_post")]
ForceOption = Annotated[bool, typer.Option("--force", help="Overwrite files that already exist")]
BasePathOption = Annotated[
    Path | None,
    typer.Option(
        "--path",
        file_okay=False,
        help="The project root to write into (default: this project)",
    ),
]
ModelOption = Annotated[
    str | None, typer.Option("--model", help="The model it is for: Post or blog_post")
]


def generator_for(path: Path | None, force: bool) -> Generator:
    """A generator writing under ``path`` (or the project), reporting to stdout."""
    return Generator(path, force=force, output=Output())


def model_name(model: str | None) -> Name | None:
    """The parsed ``--model``, or ``None``."""
    return None if model is None else Name.parse(model, what="model name")
