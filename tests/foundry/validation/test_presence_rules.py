"""Laravel's presence rules in rule lists: required, filled, present, prohibited, sometimes."""

from __future__ import annotations

from collections.abc import Mapping

import pytest

from foundry import validation as v


async def errors(data: Mapping[str, object], rules: v.RuleSet) -> dict[str, list[str]]:
    return await v.Validator(data, rules).errors()


REQUIRED = "The title field is required."
FILLED = "The title field must have a value."
PRESENT = "The title field must be present."
PROHIBITED = "The title field is prohibited."


@pytest.mark.parametrize(
    ("rule", "data", "expected"),
    [
        (v.required(), {}, REQUIRED),
        (v.required(), {"title": None}, REQUIRED),
        (v.required(), {"title": "   "}, REQUIRED),
        (v.required(), {"title": []}, REQUIRED),
        (v.required(), {"title": 0}, None),
        (v.required(), {"title": False}, None),
        (v.filled(), {}, None),
        (v.filled(), {"title": None}, FILLED),
        (v.filled(), {"title": ""}, FILLED),
        (v.filled(), {"title": {}}, FILLED),
        (v.filled(), {"title": "x"}, None),
        (v.present(), {}, PRESENT),
        (v.present(), {"title": None}, None),
        (v.present(), {"title": ""}, None),
        (v.prohibited(), {}, None),
        (v.prohibited(), {"title": None}, None),
        (v.prohibited(), {"title": ""}, None),
        (v.prohibited(), {"title": "x"}, PROHIBITED),
        (v.prohibited(), {"title": 0}, PROHIBITED),
    ],
)
async def test_presence_rules_follow_laravel(
    rule: v.BaseRule, data: dict[str, object], expected: str | None
) -> None:
    found = await errors(data, {"title": [rule]})
    assert found == ({"title": [expected]} if expected else {})


async def test_sometimes_skips_every_rule_of_an_absent_field() -> None:
    rules: v.RuleSet = {"postcode": [v.sometimes(), v.required_with("city")]}
    assert await errors({"city": "Paris"}, rules) == {}
    assert await errors({"city": "Paris", "postcode": ""}, rules) == {
        "postcode": ["The postcode field is required when city is present."]
    }
    # Without sometimes, the implicit rule runs on the absent field.
    assert await errors({"city": "Paris"}, {"postcode": [v.required_with("city")]}) != {}


async def test_presence_rules_work_on_wildcards_and_take_custom_messages() -> None:
    rules: v.RuleSet = {"items.*.sku": [v.filled()]}
    messages = v.Messages({"items.*.sku.filled": "Each :attribute needs a value."}, {})
    data = {"items": [{"sku": "A"}, {"sku": ""}, {}]}
    found = await v.Validator(data, rules, messages).errors()
    assert found == {"items.1.sku": ["Each items.1.sku needs a value."]}


def test_error_bag_keeps_order_and_drops_repeats() -> None:
    bag = v.ErrorBag({"a": ["one"]})
    bag.add("b", "two")
    bag.add("a", "one")
    bag.merge({"a": ["three"]})
    assert bag.to_dict() == {"a": ["one", "three"], "b": ["two"]}
    assert bag.has("a") and not bag.has("c") and bag.first("b") == "two" and bag.any()
    assert not v.ErrorBag().any()
