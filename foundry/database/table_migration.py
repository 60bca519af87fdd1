"""The ``create_table`` operations of one model, as migration code (``make:model -m``).

``make:model Post -m`` writes the model, then a migration creating its table: the columns,
keys, constraints and indexes are rendered by alembic from the model itself, exactly as
``make:migration --autogenerate`` would render them, but without a database to compare with.
The model is imported in a child process (``python -m foundry.database.table_migration``), so
the command's own process never maps it: a second ``posts`` table in ``Base.metadata`` there
would clash with a later generation, or with the application's own models.
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from alembic.autogenerate import render_python_code
from alembic.autogenerate.api import AutogenContext
from alembic.operations.ops import (
    CreateIndexOp,
    CreateTableOp,
    MigrateOperation,
    ModifyTableOps,
    UpgradeOps,
)
from sqlalchemy import Table

from foundry.database.types import UtcDateTime

__all__ = ["RevisionCode", "TableMigrationError", "create_table_code", "model_table_code"]


class TableMigrationError(RuntimeError):
    """The model could not be imported or has no table (its message says why)."""


@dataclass(frozen=True, slots=True)
class RevisionCode:
    """The bodies of a revision's ``upgrade()`` and ``downgrade()``."""

    upgrade: str
    downgrade: str


def render_item(type_: str, obj: Any, autogen_context: AutogenContext) -> str | Literal[False]:
    """Write ``UtcDateTime`` columns as plain ``sa.DateTime(timezone=True)``.

    The conversion to UTC happens in Python; the database sees an ordinary timestamp, and
    migration files stay free of imports from the app.
    """
    if type_ == "type" and isinstance(obj, UtcDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def create_table_code(table: Table) -> RevisionCode:
    """``op.create_table(...)`` and its indexes for ``table``, and the reverse, indented for
    the revision template (``script.py.mako``)."""
    operations: list[MigrateOperation] = [CreateTableOp.from_table(table)]
    indexes = sorted(table.indexes, key=lambda index: str(index.name))
    if indexes:
        operations.append(
            ModifyTableOps(table.name, [CreateIndexOp.from_index(index) for index in indexes])
        )
    upgrade = UpgradeOps(operations)
    downgrade = upgrade.reverse()

    def render(ops: Any) -> str:
        # Indented for the revision template's function bodies, as autogenerate's code is.
        return render_python_code(ops, render_as_batch=True, render_item=render_item)

    return RevisionCode(render(upgrade), render(downgrade))


def model_table_code(base_path: Path, path: Path, module: str, class_name: str) -> RevisionCode:
    """The create-table code of the model ``class_name`` in the file ``path``, imported as
    ``module`` with the project at ``base_path`` first on the import path.

    Raises :class:`TableMigrationError` when the model cannot be imported or is not mapped to
    a table.
    """
    import foundry

    # The foundry this process runs, whether installed or a checkout.
    foundry_root = Path(foundry.__file__).resolve().parents[1]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(base_path), str(foundry_root)])}
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "foundry.database.table_migration",
            str(path),
            module,
            class_name,
        ],
        cwd=base_path,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        reason = done.stderr.strip().splitlines()[-1:] or ["no output"]
        raise TableMigrationError(f"cannot read the table of {module}.{class_name}: {reason[0]}")
    found = json.loads(done.stdout)
    return RevisionCode(str(found["upgrade"]), str(found["downgrade"]))


def _main(path: str, module: str, class_name: str) -> None:
    # Loaded from its file: the project's package may be shadowed on the import path (a
    # scratch project under --path), and the model's own imports are the framework's.
    spec = importlib.util.spec_from_file_location(module, path)
    if spec is None or spec.loader is None:
        raise SystemExit(f"cannot load {path}")
    loaded = importlib.util.module_from_spec(spec)
    sys.modules[module] = loaded  # SQLAlchemy resolves the Mapped[...] annotations through it
    spec.loader.exec_module(loaded)
    model = getattr(loaded, class_name, None)
    table = getattr(model, "__table__", None)
    if not isinstance(table, Table):
        raise SystemExit(f"{module}.{class_name} is not a model mapped to a table")
    code = create_table_code(table)
    print(json.dumps({"upgrade": code.upgrade, "downgrade": code.downgrade}))


if __name__ == "__main__":
    _main(*sys.argv[1:4])
