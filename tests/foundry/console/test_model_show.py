"""``model:show``: a model's table, columns, relations and observers."""

from __future__ import annotations

import json

from tests.foundry.console.helpers import artisan
from tests.foundry.console.sample_providers import PROVIDERS_WITH_SAMPLES


def test_shows_table_columns_relations_and_observers() -> None:
    result = artisan("model:show", "User", env={"APP_PROVIDERS": PROVIDERS_WITH_SAMPLES})

    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert out.startswith("tests.foundry.testbench.models.User\n")
    assert "Table" in out and out.splitlines()[1].endswith(" users")
    rows = {line.split()[0]: line.split() for line in out.splitlines() if line.strip()}
    assert rows["id"][1:] == ["INTEGER", "no", "primary"]
    assert rows["email"][1:] == ["VARCHAR(255)", "no", "unique"]
    assert rows["deleted_at"][1:] == ["DATETIME", "yes"]
    assert "roles belongs_to_many" in out and "foundry.permissions.tables.role.Role" in out
    assert "tests.foundry.console.sample_providers.UserAudit" in out


def test_json_and_the_database_dialect(database_url: str) -> None:
    result = artisan("model:show", "User", "--json", env={"DATABASE_URL": database_url})

    assert result.exit_code == 0, result.stderr
    info = json.loads(result.stdout)
    assert info["table"] == "users" and info["observers"] == [] and info["prunable"] is None
    columns = {column["name"]: column for column in info["columns"]}
    expected = "TIMESTAMP WITH TIME ZONE" if database_url.startswith("postgresql") else "DATETIME"
    assert columns["deleted_at"]["type"] == expected and columns["deleted_at"]["nullable"]
    assert columns["name"]["nullable"] is False


def test_an_unknown_model_fails_with_one_line() -> None:
    result = artisan("model:show", "Nope")

    assert result.exit_code == 1
    assert result.stderr.strip() == "ERROR  Model [Nope] not found."
