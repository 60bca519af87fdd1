"""The command registry: grouping, look-up, suggestions and lazy loading."""

from __future__ import annotations

import sys

import pytest

from foundry.console.manifest import BUILTIN_COMMANDS, default_registry
from foundry.console.registry import CommandRegistry, CommandSpec, UnknownCommandError


def _registry() -> CommandRegistry:
    return CommandRegistry(
        [
            CommandSpec("migrate:status", "Status", "json:dumps"),
            CommandSpec("serve", "Serve", "json:dumps"),
            CommandSpec("db:seed", "Seed", "json:dumps"),
            CommandSpec("migrate", "Migrate", "json:dumps"),
            CommandSpec("about", "About", "json:dumps"),
        ]
    )


def test_groups_list_top_level_commands_first_then_namespaces_alphabetically() -> None:
    groups = _registry().grouped()

    assert [(name, [spec.name for spec in specs]) for name, specs in groups] == [
        ("", ["about", "migrate", "serve"]),
        ("db", ["db:seed"]),
        ("migrate", ["migrate:status"]),
    ]


def test_grouped_keeps_only_the_namespace_asked_for() -> None:
    assert [name for name, _ in _registry().grouped("migrate")] == ["migrate"]


def test_unknown_name_raises_with_the_closest_names() -> None:
    with pytest.raises(UnknownCommandError) as caught:
        _registry().get("migrate:stat")

    assert caught.value.suggestions[0] == "migrate:status"
    assert "Did you mean migrate:status" in str(caught.value)


def test_a_verb_alone_suggests_the_namespaced_command() -> None:
    assert _registry().suggest("seed")[0] == "db:seed"


def test_nothing_close_gives_no_suggestion() -> None:
    assert _registry().suggest("zzzzzz") == []


def test_a_later_registration_replaces_a_command_of_the_same_name() -> None:
    registry = _registry()
    registry.register(CommandSpec("serve", "Serve differently", "json:loads"))

    assert registry.get("serve").help == "Serve differently"
    assert len(registry) == 5


def test_a_target_without_module_and_attribute_is_rejected() -> None:
    with pytest.raises(ValueError, match="module:function"):
        CommandSpec("broken", "Broken", "json.dumps")


def test_loading_imports_the_command_module_only_then() -> None:
    sys.modules.pop("tests.foundry.console.sample_command", None)
    spec = CommandSpec("sample", "Sample", "tests.foundry.console.sample_command:sample")
    assert "tests.foundry.console.sample_command" not in sys.modules

    callback = spec.load()

    assert "tests.foundry.console.sample_command" in sys.modules
    assert callback.__name__ == "sample"


def test_every_builtin_command_loads() -> None:
    # A typo in a target would only show when someone runs that command.
    for spec in BUILTIN_COMMANDS:
        assert callable(spec.load()), spec.name
    assert {"list", "serve", "migrate", "db:seed", "route:list", "key:generate", "about"} <= set(
        default_registry().names()
    )
