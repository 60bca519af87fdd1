"""Canary: ``typer._click``, typer's vendored click, whose ``Context`` and ``Command`` the
artisan kernel's ``TyperGroup`` overrides are annotated with (``foundry.console``)."""

from __future__ import annotations

import typer
from typer import _click
from typer.core import TyperGroup

from tests.foundry.canaries.signatures import parameters


def test_typer_click_types_are_the_ones_typer_groups_use() -> None:
    assert isinstance(_click.Context, type) and isinstance(_click.Command, type)
    assert issubclass(TyperGroup, _click.Command)
    assert issubclass(typer.Context, _click.Context)
    assert parameters(TyperGroup.make_context)[:3] == ["info_name", "args", "parent"]
    assert parameters(TyperGroup.get_command) == ["ctx", "cmd_name"]
    assert parameters(TyperGroup.list_commands) == ["ctx"]
    assert parameters(TyperGroup.resolve_command) == ["ctx", "args"]
