"""Input-only rules: what passes, what fails, and Laravel's default messages."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

import pytest

from foundry import validation as v
from foundry.kernel.errors import ValidationError


async def errors(
    data: Mapping[str, object],
    rules: Mapping[str, Sequence[v.BaseRule]],
    messages: v.Messages | None = None,
) -> dict[str, list[str]]:
    return await v.Validator(data, rules, messages).errors()


@pytest.mark.parametrize(
    ("rule", "good", "bad", "message"),
    [
        (v.in_(["a", 1]), "a", "b", "The selected field is invalid."),
        (v.in_([1, 2]), 1, True, "The selected field is invalid."),
        (v.in_(["a", "b"]), ["a", "b"], ["a", "c"], "The selected field is invalid."),
        (v.not_in(["root"]), "ada", "root", "The selected field is invalid."),
        (v.regex(r"^[a-z]+$"), "abc", "ab1", "The field field format is invalid."),
        (v.regex(re.compile(r"\d")), "a1", 12, "The field field format is invalid."),
        (
            v.email(),
            "ada@example.com",
            "ada@example",
            "The field field must be a valid email " "address.",
        ),
        (
            v.email(),
            "a.b+c@sub.example.org",
            "a b@example.com",
            "The field field must be a valid " "email address.",
        ),
        (v.min_length(3), "abc", "ab", "The field field must be at least 3 characters."),
        (v.min_length(2), [1, 2], [1], "The field field must have at least 2 items."),
        (v.max_length(3), "abc", "abcd", "The field field must not be greater than 3 characters."),
        (v.max_length(1), [1], [1, 2], "The field field must not have more than 1 items."),
        (v.min(18), 18, 17.5, "The field field must be at least 18."),
        (v.max(10), 10, 11, "The field field must not be greater than 10."),
        (v.min(0), 0, "5", "The field field must be at least 0."),
        (v.max(1), 1, True, "The field field must not be greater than 1."),
    ],
)
async def test_rule_passes_good_and_fails_bad_with_default_message(
    rule: v.BaseRule, good: object, bad: object, message: str
) -> None:
    assert await errors({"field": good}, {"field": [rule]}) == {}
    assert await errors({"field": bad}, {"field": [rule]}) == {"field": [message]}


async def test_in_lists_the_allowed_values_for_custom_messages() -> None:
    custom = v.Messages({"role.in": ":Attribute must be one of: :values."})
    found = await errors({"role": "x"}, {"role": [v.in_(["admin", "editor"])]}, custom)
    assert found == {"role": ["Role must be one of: admin, editor."]}


async def test_confirmed_needs_an_equal_confirmation_field() -> None:
    rules = {"password": [v.confirmed()]}
    assert await errors({"password": "s3cret", "password_confirmation": "s3cret"}, rules) == {}
    expected = {"password": ["The password field confirmation does not match."]}
    assert await errors({"password": "s3cret", "password_confirmation": "other"}, rules) == expected
    assert await errors({"password": "s3cret"}, rules) == expected


async def test_rules_skip_absent_and_null_fields_unless_implicit() -> None:
    rules = {"nickname": [v.min_length(3), v.email()]}
    assert await errors({}, rules) == {}
    assert await errors({"nickname": None}, rules) == {}


@pytest.mark.parametrize(
    ("data", "fails"),
    [
        ({"type": "business"}, True),
        ({"type": "business", "company": "  "}, True),
        ({"type": "business", "company": "Acme"}, False),
        ({"type": "person"}, False),
        ({}, False),
    ],
)
async def test_required_if(data: dict[str, object], fails: bool) -> None:
    found = await errors(data, {"company": [v.required_if("type", "business", "ngo")]})
    expected = {"company": ["The company field is required when type is business."]}
    assert found == (expected if fails else {})


async def test_nested_fields_are_reached_by_dotted_paths() -> None:
    data = {"address": {"zip": "12"}, "items": [{"sku": "ok"}, {"sku": "bad sku"}]}
    rules: v.RuleSet = {
        "address.zip": [v.min_length(5)],
        "items.1.sku": [v.regex(r"^\S+$")],
        "items.7.sku": [v.min_length(1)],
    }
    assert await errors(data, rules) == {
        "address.zip": ["The address.zip field must be at least 5 characters."],
        "items.1.sku": ["The items.1.sku field format is invalid."],
    }


async def test_message_precedence_rule_then_field_then_generic_then_default() -> None:
    rules = {
        "a": [v.min_length(5).with_message("Rule says :attribute >= :min.")],
        "b": [v.min_length(5)],
        "c": [v.min_length(5)],
    }
    custom = v.Messages(
        {
            "a.min_length": "ignored",
            "b.min_length": "B: :min.",
            "min_length": "Generic :attribute.",
        },
        {"c": "the C"},
    )
    found = await errors({"a": "x", "b": "x", "c": "x"}, rules, custom)
    assert found == {"a": ["Rule says a >= 5."], "b": ["B: 5."], "c": ["Generic the C."]}


async def test_messages_keep_the_declared_order_and_validate_raises_422() -> None:
    rules = {"name": [v.regex(r"^\d+$"), v.min_length(4)]}
    found = await errors({"name": "ab"}, rules)
    assert found == {
        "name": [
            "The name field format is invalid.",
            "The name field must be at least 4 characters.",
        ]
    }
    with pytest.raises(ValidationError) as caught:
        await v.Validator({"name": "ab"}, rules).validate()
    assert caught.value.status_code == 422
    assert caught.value.errors == found


def test_fill_leaves_unknown_placeholders_alone() -> None:
    assert v.fill(":attribute needs :thing at 10:30", {"attribute": "x"}) == (
        "x needs :thing at 10:30"
    )


async def test_wildcards_check_every_item_with_pattern_messages() -> None:
    data = {"items": [{"sku": "AB"}, {"sku": "x1"}, {}], "tags": {"a": "ok", "b": ""}}
    rules: v.RuleSet = {
        "items.*.sku": [v.regex(r"^[A-Z]+$"), v.required_if("items.0.sku", "AB")],
        "tags.*": [v.min_length(1)],
    }
    custom = v.Messages({"items.*.sku.regex": ":Attribute must be upper case."}, {"tags.*": "tag"})
    assert await errors(data, rules, custom) == {
        "items.1.sku": ["Items.1.sku must be upper case."],
        "items.2.sku": ["The items.2.sku field is required when items.0.sku is AB."],
        "tags.b": ["The tag field must be at least 1 characters."],
    }


def test_expand_names_only_the_paths_the_input_has() -> None:
    data = {"a": [{"b": [1, 2]}, {"b": []}, {"c": 1}]}
    assert v.expand(data, "a.*.b.*") == ["a.0.b.0", "a.0.b.1"]
    assert v.expand(data, "a.*.c") == ["a.0.c", "a.1.c", "a.2.c"]
    assert v.expand(data, "x.*") == []
    assert v.expand(data, "plain.path") == ["plain.path"]
