"""Rules that compare fields, and a rule written by the app itself."""

from __future__ import annotations

from collections.abc import Mapping

import pytest

from foundry import validation as v


async def errors(data: Mapping[str, object], rules: v.RuleSet) -> dict[str, list[str]]:
    return await v.Validator(data, rules).errors()


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({"email": "a@b.c", "email_again": "a@b.c"}, {}),
        ({"email": "a@b.c", "email_again": "x@b.c"}, ["The email again field must match email."]),
        ({"email_again": "x@b.c"}, ["The email again field must match email."]),
    ],
)
async def test_same(data: dict[str, object], expected: object) -> None:
    found = await errors(data, {"email_again": [v.same("email")]})
    assert found == ({"email_again": expected} if expected else {})


async def test_different_treats_json_true_and_one_as_different() -> None:
    rules: v.RuleSet = {"new": [v.different("old")]}
    assert await errors({"old": "a", "new": "a"}, rules) == {
        "new": ["The new field and old must be different."]
    }
    assert await errors({"old": 1, "new": True}, rules) == {}
    assert await errors({"new": "a"}, rules) == {}


async def test_required_with_any_filled_field() -> None:
    rules: v.RuleSet = {"postcode": [v.required_with("street", "city")]}
    message = {"postcode": ["The postcode field is required when street / city is present."]}
    assert await errors({"city": "Oslo"}, rules) == message
    assert await errors({"city": "Oslo", "postcode": ""}, rules) == message
    assert await errors({"city": "", "street": None}, rules) == {}
    assert await errors({"city": "Oslo", "postcode": "0150"}, rules) == {}


async def test_required_unless() -> None:
    rules: v.RuleSet = {"vat": [v.required_unless("country", "US", "CA")]}
    assert await errors({"country": "NO"}, rules) == {
        "vat": ["The vat field is required unless country is in US, CA."]
    }
    assert await errors({}, rules) != {}
    assert await errors({"country": "US"}, rules) == {}
    assert await errors({"country": "NO", "vat": "NO123"}, rules) == {}


class Uppercase(v.Rule):
    """An app's own rule: subclass Rule, give it a key and a message."""

    key = "uppercase"
    template = "The :attribute field must be uppercase."

    def passes(self, attribute: str, value: object, data: Mapping[str, object]) -> bool:
        return isinstance(value, str) and value == value.upper()


async def test_an_apps_own_rule_works_like_the_built_in_ones() -> None:
    rules: v.RuleSet = {"code": [Uppercase()], "other": [Uppercase().with_message("Shout!")]}
    assert await errors({"code": "abc", "other": "x"}, rules) == {
        "code": ["The code field must be uppercase."],
        "other": ["Shout!"],
    }
    custom = v.Messages({"uppercase": ":Attribute: caps only."})
    found = await v.Validator({"code": "abc"}, rules, custom).errors()
    assert found == {"code": ["Code: caps only."]}
