"""How artisan runs a command: app commands, failures, verbosity."""

from __future__ import annotations

from foundry.console.kernel import split_verbosity
from foundry.console.manifest import default_registry
from foundry.console.registry import CommandRegistry, CommandSpec
from tests.foundry.console.helpers import artisan


def _with_sample() -> CommandRegistry:
    registry = default_registry()
    registry.register(
        CommandSpec("demo:greet", "Greet someone", "tests.foundry.console.sample_command:sample")
    )
    return registry


def test_an_added_command_is_listed_and_runs() -> None:
    registry = _with_sample()

    listed = artisan("list", registry=registry)
    ran = artisan("demo:greet", "Taylor", registry=registry)

    assert " demo\n  demo:greet" in listed.stdout
    assert ran.exit_code == 0
    assert ran.stdout == "Hello Taylor\n"


def test_an_expected_failure_prints_one_line_and_exits_with_1() -> None:
    result = artisan("demo:greet", "x", "--fail", registry=_with_sample())

    assert result.exit_code == 1
    assert result.stderr == "  ERROR  the sample failed on purpose\n"


def test_an_unexpected_error_prints_its_type_and_message_but_no_traceback() -> None:
    result = artisan("demo:greet", "x", "--crash", registry=_with_sample())

    assert result.exit_code == 1
    assert result.stderr == "  ERROR  KeyError: 'deep internal detail'\n"


def test_verbose_shows_the_traceback_wherever_the_flag_stands() -> None:
    for args in (("demo:greet", "x", "--crash", "-v"), ("-vvv", "demo:greet", "x", "--crash")):
        result = artisan(*args, registry=_with_sample())

        assert result.exit_code == 1
        assert "Traceback (most recent call last)" in result.stderr
        assert "sample_command.py" in result.stderr
        assert result.stderr.rstrip().endswith("ERROR  KeyError: 'deep internal detail'")


def test_a_usage_error_is_reported_by_typer_with_exit_code_2() -> None:
    result = artisan("demo:greet", registry=_with_sample())

    assert result.exit_code == 2
    assert "Missing argument" in result.stderr


def test_split_verbosity_keeps_arguments_after_double_dash() -> None:
    assert split_verbosity(["-vv", "migrate", "--", "-v"]) == (["migrate", "--", "-v"], 2)
    assert split_verbosity(["migrate", "--verbose"]) == (["migrate"], 1)
