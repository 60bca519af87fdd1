"""filter, reject, the where family, unique, diff, intersect, partition, only, except_."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from foundry.collections import Collection, Operator, collect


@dataclass
class Product:
    name: str
    price: int | None
    owner: dict[str, str]


PRODUCTS = collect(
    [
        Product("desk", 200, {"name": "ann"}),
        Product("chair", 100, {"name": "bob"}),
        Product("lamp", None, {"name": "ann"}),
        Product("pen", 5, {"name": "cy"}),
    ]
)


def names(items: object) -> list[str]:
    return [p.name for p in items]  # type: ignore[attr-defined]


def test_filter_and_reject() -> None:
    assert collect([1, 2, 3, 4]).filter(lambda n: n % 2 == 0).all() == [2, 4]
    assert collect([0, 1, "", "a", None]).filter().all() == [1, "a"]
    assert collect([1, 2, 3]).reject(lambda n: n == 2).all() == [1, 3]
    assert collect([]).filter(bool).all() == []


def test_where_on_attributes_and_default_operator() -> None:
    assert names(PRODUCTS.where("price", 100)) == ["chair"]
    assert names(PRODUCTS.where("price", "100")) == ["chair"]  # loose, like Laravel


@pytest.mark.parametrize(
    ("operator", "value", "expected"),
    [
        ("=", 5, ["pen"]),
        ("==", "5", ["pen"]),
        ("===", 5, ["pen"]),
        ("===", "5", []),
        ("!=", 5, ["desk", "chair", "lamp"]),
        ("<>", 5, ["desk", "chair", "lamp"]),
        ("!==", "5", ["desk", "chair", "lamp", "pen"]),
        ("<", 100, ["pen"]),
        ("<=", 100, ["chair", "pen"]),
        (">", 100, ["desk"]),
        (">=", 100, ["desk", "chair"]),
    ],
)
def test_where_operators(operator: Operator, value: object, expected: list[str]) -> None:
    assert names(PRODUCTS.where("price", operator, value)) == expected


def test_where_dotted_keys_on_mappings() -> None:
    assert names(PRODUCTS.where("owner.name", "ann")) == ["desk", "lamp"]
    rows = collect([{"a": {"b": 1}}, {"a": {"b": 2}}, {"c": 3}])
    assert rows.where("a.b", ">", 1).all() == [{"a": {"b": 2}}]


def test_where_unknown_operator_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="unknown operator 'like'"):
        PRODUCTS.where("price", "like", 5)  # type: ignore[call-overload]  # mypy rejects it too


def test_where_strict() -> None:
    assert collect([{"n": 1}, {"n": "1"}, {"n": True}]).where_strict("n", 1).all() == [{"n": 1}]


def test_where_in_and_not_in() -> None:
    assert names(PRODUCTS.where_in("name", ["pen", "desk", "sofa"])) == ["desk", "pen"]
    assert names(PRODUCTS.where_not_in("name", ["pen", "desk"])) == ["chair", "lamp"]
    assert PRODUCTS.where_in("name", []).is_empty()


def test_where_null_and_not_null() -> None:
    assert names(PRODUCTS.where_null("price")) == ["lamp"]
    assert names(PRODUCTS.where_not_null("price")) == ["desk", "chair", "pen"]
    assert collect([{"a": 1}, {}]).where_null("a").all() == [{}]


def test_where_between_and_not_between() -> None:
    assert names(PRODUCTS.where_between("price", (5, 100))) == ["chair", "pen"]
    assert names(PRODUCTS.where_not_between("price", (5, 100))) == ["desk", "lamp"]


def test_where_instance_of() -> None:
    assert collect([1, "a", 2.5, "b"]).where_instance_of(str).all() == ["a", "b"]


def test_unique() -> None:
    assert collect([1, 2, 1, 3, 2]).unique().all() == [1, 2, 3]
    assert collect([{"a": 1}, {"a": 1}, {"a": 2}]).unique().all() == [{"a": 1}, {"a": 2}]
    assert names(PRODUCTS.unique("owner.name")) == ["desk", "chair", "pen"]
    assert collect(["a", "B", "A"]).unique(str.lower).all() == ["a", "B"]
    assert collect([]).unique().all() == []


def test_diff_and_intersect() -> None:
    assert collect([1, 2, 3, 4]).diff([2, 4]).all() == [1, 3]
    assert collect([1, 2, 3, 4]).intersect([4, 2, 9]).all() == [2, 4]
    assert collect([1, 2]).diff([]).all() == [1, 2]
    assert collect([1, 2]).intersect([]).all() == []


def test_partition() -> None:
    adults, minors = collect([30, 12, 45, 17]).partition(lambda age: age >= 18)
    assert adults.all() == [30, 45]
    assert minors.all() == [12, 17]
    empty: Collection[int] = collect([])
    empty_pass, empty_fail = empty.partition(bool)
    assert empty_pass.all() == [] and empty_fail.all() == []


def test_only_and_except() -> None:
    rows = collect([{"id": 1, "name": "a", "secret": "x"}, {"id": 2, "secret": "y"}])
    assert rows.only("id", "name").all() == [{"id": 1, "name": "a"}, {"id": 2}]
    assert rows.except_("secret").all() == [{"id": 1, "name": "a"}, {"id": 2}]
