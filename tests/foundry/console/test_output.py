"""Console output: plain and complete when piped, rich on a terminal."""

from __future__ import annotations

import io

from foundry.console.output import Output


def _plain() -> tuple[Output, io.StringIO, io.StringIO]:
    out, err = io.StringIO(), io.StringIO()
    return Output(out, err), out, err


def test_a_pipe_gets_plain_text() -> None:
    output, out, _ = _plain()

    output.info("Running migrations.")
    output.task("a1_posts create posts table")

    assert not output.terminal
    assert out.getvalue() == (
        "  INFO  Running migrations.\n" "  a1_posts create posts table " + "." * 45 + " DONE\n"
    )
    assert all(len(line) == 80 for line in out.getvalue().splitlines()[1:])
    assert "\x1b[" not in out.getvalue()


def test_errors_go_to_stderr() -> None:
    output, out, err = _plain()

    output.error("it broke")

    assert out.getvalue() == ""
    assert err.getvalue() == "  ERROR  it broke\n"


def test_plain_tables_keep_long_cells_whole() -> None:
    output, out, _ = _plain()
    action = "foundry.http.controllers." + "very_long_module_name." * 6 + "handler"

    output.table(["Method", "Action"], [["GET", action], ["POST|PUT", "short"]])

    lines = out.getvalue().splitlines()
    assert lines[0] == "Method    Action"
    assert lines[2] == f"GET       {action}"
    assert lines[3] == "POST|PUT  short"


def test_a_terminal_gets_a_rich_table() -> None:
    out = io.StringIO()
    output = Output(out, io.StringIO(), terminal=True)

    output.table(["Migration", "Ran?"], [["a1_posts", "Yes"]])

    text = out.getvalue()
    assert "Migration" in text and "a1_posts" in text
    assert "─" in text  # drawn with box characters, not dashes


def test_progress_without_a_terminal_prints_each_step() -> None:
    output, out, _ = _plain()

    with output.progress("Seeding") as progress:
        progress.advance("UserSeeder")
        progress.advance("PostSeeder")

    assert progress.count == 2
    assert out.getvalue() == "  UserSeeder\n  PostSeeder\n"


def test_progress_on_a_terminal_ends_with_a_full_bar() -> None:
    out = io.StringIO()
    output = Output(out, io.StringIO(), terminal=True)

    with output.progress("Seeding") as progress:
        progress.advance("UserSeeder")
        progress.advance("PostSeeder")

    text = out.getvalue()
    assert "UserSeeder" in text and "PostSeeder" in text
    assert "2/2" in text
