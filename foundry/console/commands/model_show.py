"""``model:show Model``: a model's table, columns, relations and observers."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from foundry.console.output import Output
from foundry.console.runtime import load_config, run_in_application
from foundry.kernel.application import Application
from foundry.kernel.container import Container

__all__ = ["describe_model", "model_show"]

#: Laravel's relation names for SQLAlchemy's directions.
_RELATION_KINDS = {
    "MANYTOONE": "belongs_to",
    "ONETOMANY": "has_many",
    "MANYTOMANY": "belongs_to_many",
}


def _path(cls: type[Any]) -> str:
    return f"{cls.__module__}.{cls.__qualname__}"


def describe_model(
    model: type[Any], dialect_url: str, observers: list[type[Any]]
) -> dict[str, Any]:
    """What ``model:show`` prints, as data (``--json``)."""
    from sqlalchemy import inspect
    from sqlalchemy.engine import make_url

    from foundry.database.prunable import MassPrunable, is_prunable

    dialect = make_url(dialect_url).get_dialect()()
    mapper = inspect(model)
    table = mapper.local_table
    columns = []
    for column in table.columns:
        default = column.server_default.arg if column.server_default is not None else None
        if default is None and column.default is not None:
            default = getattr(column.default, "arg", None)
        columns.append(
            {
                "name": column.name,
                "type": column.type.compile(dialect=dialect),
                "nullable": bool(column.nullable),
                "primary_key": bool(column.primary_key),
                "unique": bool(column.unique),
                "default": (
                    None if callable(default) else str(default) if default is not None else None
                ),
                "foreign_key": ", ".join(sorted(fk.target_fullname for fk in column.foreign_keys)),
            }
        )
    relations = [
        {
            "name": rel.key,
            "type": (
                _RELATION_KINDS.get(rel.direction.name, rel.direction.name.lower())
                if rel.uselist or rel.direction.name == "MANYTOONE"
                else "has_one"
            ),
            "related": _path(rel.mapper.class_),
        }
        for rel in mapper.relationships
    ]
    prunable = None
    if is_prunable(model):
        prunable = "mass" if issubclass(model, MassPrunable) else "each"
    return {
        "class": _path(model),
        "table": table.name,
        "columns": columns,
        "relations": relations,
        "observers": [_path(observer) for observer in observers],
        "prunable": prunable,
    }


def model_show(
    model: Annotated[str, typer.Argument(help="The model: its class name or a dotted path")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the description as JSON")] = False,
) -> None:
    """Show a model's table, columns (type, nullability, keys), relations and observers."""
    from foundry.config.database import DatabaseSettings
    from foundry.console.commands.model_lookup import resolve_model
    from foundry.database.observers import ObserverRegistry

    config = load_config()
    found = resolve_model(config, model)

    async def work(application: Application, scope: Container) -> list[type[Any]]:
        return application.container.make(ObserverRegistry).observers_for(found)

    observers = run_in_application(work, config)
    info = describe_model(found, config.settings(DatabaseSettings).url, observers)
    output = Output()
    if as_json:
        output.json(info)
        return
    output.line(info["class"], style="bold")
    output.two_column("Table", info["table"])
    if info["prunable"]:
        output.two_column("Prunable", info["prunable"])
    output.line()
    output.table(
        ["Column", "Type", "Nullable", "Key", "Default"],
        [
            [
                c["name"],
                c["type"],
                "yes" if c["nullable"] else "no",
                (
                    "primary"
                    if c["primary_key"]
                    else (
                        f"-> {c['foreign_key']}"
                        if c["foreign_key"]
                        else "unique" if c["unique"] else ""
                    )
                ),
                c["default"] or "",
            ]
            for c in info["columns"]
        ],
    )
    output.line()
    output.line("Relations", style="bold")
    for relation in info["relations"] or []:
        output.two_column(f"{relation['name']} {relation['type']}", relation["related"])
    if not info["relations"]:
        output.line("  (none)")
    output.line()
    output.line("Observers", style="bold")
    for observer in info["observers"]:
        output.line(f"  {observer}")
    if not info["observers"]:
        output.line("  (none)")
