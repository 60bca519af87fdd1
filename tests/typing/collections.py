"""Checked by mypy only, never run: Collection[T] and Pipeline carry precise types.

Each ``type: ignore[...]`` marks a call mypy must reject; ``warn_unused_ignores`` (part of
``--strict``) fails the check if mypy ever stops rejecting it.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, assert_type

from foundry.collections import Collection, collect
from foundry.collections.base import Comparable
from foundry.kernel.pipeline import Pipeline


class User:
    def __init__(self, id: int, name: str) -> None:
        self.id = id
        self.name = name


def well_typed(users: Collection[User], numbers: Collection[int], words: Collection[str]) -> None:
    assert_type(collect([1, 2]), Collection[int])
    assert_type(users.map(lambda u: u.name), Collection[str])
    assert_type(users.flat_map(lambda u: [u.id, u.id]), Collection[int])
    assert_type(users.filter(lambda u: u.id > 1), Collection[User])
    assert_type(users.first(), User | None)
    assert_type(users.first(lambda u: u.id == 1, "none"), User | str)
    assert_type(users.first_or_fail(), User)
    assert_type(users.where("id", ">=", 2), Collection[User])
    assert_type(users.where("name", "ann"), Collection[User])
    assert_type(users.first_where("id", 1), User | None)
    assert_type(users.sole(), User)
    assert_type(users.key_by(lambda u: u.id), dict[int, User])
    assert_type(users.key_by("id"), dict[Any, User])
    assert_type(users.group_by(lambda u: u.name), dict[str, Collection[User]])
    assert_type(users.partition(lambda u: u.id > 1), tuple[Collection[User], Collection[User]])
    assert_type(users.pluck("name"), Collection[Any])
    assert_type(users.pluck(lambda u: u.name), Collection[str])
    assert_type(users.pluck("name", "id"), dict[Any, Any])
    assert_type(users.map_with_keys(lambda u: (u.id, u.name)), dict[int, str])
    assert_type(users.count_by(lambda u: u.name), dict[str, int])
    assert_type(words.count_by(), dict[str, int])
    assert_type(users.chunk(2), Collection[Collection[User]])
    assert_type(users.sliding(2), Collection[Collection[User]])
    assert_type(users.zip(words), Collection[tuple[User, str]])
    assert_type(users.zip(words, numbers), Collection[tuple[User, str, int]])
    assert_type(words.combine(numbers), dict[str, int])
    assert_type(numbers.push("x"), Collection[int | str])
    assert_type(numbers.pad(3, None), Collection[int | None])
    assert_type(users.pop(), tuple[User, Collection[User]])
    assert_type(users.random(), User)
    assert_type(users.random(2), Collection[User])
    assert_type(numbers.sum(), int)
    assert_type(collect([Decimal(1)]).sum(), Decimal)
    assert_type(users.sum(lambda u: u.id * 1.5), float)
    assert_type(numbers.avg(), float | None)
    assert_type(numbers.median(), float | None)
    assert_type(numbers.max(), int | None)
    assert_type(users.min(lambda u: u.name), str | None)
    assert_type(numbers.sort(), Collection[int])
    assert_type(words.sort_desc(), Collection[str])
    assert_type(collect([1.5]).max(), float | None)
    assert_type(collect([2, None]).min(), Comparable | None)
    assert_type(users.sort_by(lambda u: u.name), Collection[User])
    assert_type(users.reduce(lambda total, u: total + u.id, 0), int)
    assert_type(users.pipe(lambda c: c.count()), int)
    assert_type(words.implode(", "), str)
    assert_type(collect([[1], [2]]).collapse(), Collection[int])
    assert_type(collect([("a", 1)]).to_dict(), dict[str, int])
    assert_type(Collection.times(3, str), Collection[str])
    assert_type(Collection.wrap([1, 2]), Collection[int])
    assert_type(Collection.wrap("a"), Collection[str])
    assert_type(numbers[0], int)
    assert_type(numbers[1:], Collection[int])
    assert_type(collect([{"a": 1}]).only("a"), Collection[dict[str, int]])
    assert_type(collect([1, "a"]).where_instance_of(str), Collection[str])
    widened: Collection[object] = numbers  # immutable, so covariant like Sequence
    assert_type(widened, Collection[object])


def pipelines() -> None:
    assert_type(Pipeline().send(1).then(lambda n: str(n)), str)
    assert_type(Pipeline().send("a").then_return(), str)


async def async_pipelines() -> None:
    async def to_text(n: int) -> str:
        return str(n)

    assert_type(await Pipeline().send(1).then_async(to_text), str)


def rejected(users: Collection[User], words: Collection[str]) -> None:
    users.sum()  # type: ignore[call-overload]  # no key, and users are not numbers
    words.avg()  # type: ignore[call-arg]
    words.median()  # type: ignore[call-arg]
    users.max()  # type: ignore[call-overload]
    users.min(lambda u: u)  # type: ignore[type-var]  # a User cannot be ordered
    users.sort()  # type: ignore[misc]
    users.where("id", "like", 1)  # type: ignore[call-overload]  # not one of Laravel's operators
    users.first_where("id", "~", 1)  # type: ignore[call-overload]
    users.sort_by(lambda u: u)  # type: ignore[arg-type, return-value]
    users.implode(",")  # type: ignore[call-arg]
    users.collapse()  # type: ignore[misc]
    users.to_dict()  # type: ignore[misc]
    users.only("name")  # type: ignore[misc, arg-type]
    users.push(1).first_or_fail().name  # type: ignore[union-attr]
    users.map(lambda u: u.email)  # type: ignore[attr-defined]
    users.filter(lambda u: u + 1)  # type: ignore[operator]
    numbers: Collection[int] = users  # type: ignore[assignment]
    Pipeline().send(1).then(lambda n: n.upper())  # type: ignore[attr-defined]
    Pipeline().through([42])  # type: ignore[list-item]
