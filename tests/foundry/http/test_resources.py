"""``JsonResource`` and ``ResourceCollection``: output shape, conditional attributes, wrapping."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from sqlalchemy import ForeignKey
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from starlette.requests import Request

from foundry.http.resources import MISSING, JsonResource, LengthAwarePaginator, ResourceCollection


def make_request(query: str = "", path: str = "/api/users") -> Request:
    return Request(
        {
            "type": "http",
            "method": "GET",
            "scheme": "https",
            "server": ("api.example.com", 443),
            "path": path,
            "root_path": "",
            "query_string": query.encode(),
            "headers": [(b"host", b"api.example.com")],
        }
    )


@dataclass
class User:
    id: int
    name: str
    email: str | None = None
    admin: bool = False


class UserResource(JsonResource[User]):
    def to_dict(self, request: Request) -> dict[str, Any]:
        user = self.resource
        return {
            "id": user.id,
            "name": user.name,
            "email": self.when_not_null(user.email),
            "role": self.when(user.admin, "admin", "member"),
            "secret": self.when(user.admin, lambda: f"secret-of-{user.name}"),
            **self.merge_when(user.admin, {"can_delete": True, "can_ban": True}),
        }


def test_resource_is_wrapped_in_data() -> None:
    body = UserResource(User(1, "Ada", "ada@example.com")).resolve(make_request())
    assert body == {"data": {"id": 1, "name": "Ada", "email": "ada@example.com", "role": "member"}}


def test_when_leaves_keys_out_and_merge_when_adds_them() -> None:
    member = UserResource(User(1, "Ada")).resolve(make_request())["data"]
    admin = UserResource(User(2, "Grace", admin=True)).resolve(make_request())["data"]
    assert "email" not in member and "secret" not in member and "can_delete" not in member
    assert admin["secret"] == "secret-of-Grace"
    assert admin["can_delete"] is True and admin["can_ban"] is True
    assert admin["role"] == "admin"


def test_when_does_not_call_the_callable_if_false() -> None:
    calls: list[int] = []

    class Counting(JsonResource[User]):
        def to_dict(self, request: Request) -> dict[str, Any]:
            return {"x": self.when(False, lambda: calls.append(1))}

    assert Counting(User(1, "Ada")).resolve(make_request()) == {"data": {}}
    assert calls == []


def test_unwrapped_resource_and_extras() -> None:
    class Bare(UserResource):
        wrap = None

    request = make_request()
    assert Bare(User(1, "Ada")).resolve(request)["name"] == "Ada"
    # Extras need a wrapper: Laravel falls back to "data".
    body = Bare(User(1, "Ada")).additional({"meta": {"version": 2}}).resolve(request)
    assert body["data"]["name"] == "Ada" and body["meta"] == {"version": 2}


def test_with_and_additional_are_top_level() -> None:
    class Versioned(UserResource):
        wrap = "user"

        def with_(self, request: Request) -> dict[str, Any]:
            return {"api": "v1", "path": request.url.path}

    body = Versioned(User(1, "Ada")).additional({"token": "t"}).resolve(make_request())
    assert body == {
        "user": {"id": 1, "name": "Ada", "role": "member"},
        "api": "v1",
        "path": "/api/users",
        "token": "t",
    }


def test_nested_resources_are_resolved_unwrapped_and_values_are_json_ready() -> None:
    @dataclass
    class Post:
        id: UUID
        author: User
        published_at: datetime
        price: Decimal

    class PostResource(JsonResource[Post]):
        def to_dict(self, request: Request) -> dict[str, Any]:
            return {
                "id": self.resource.id,
                "author": UserResource(self.resource.author),
                "authors": UserResource.collection([self.resource.author]),
                "published_at": self.resource.published_at,
                "price": self.resource.price,
                "tags": ["a", MISSING, "b"],
            }

    post = Post(
        UUID(int=1), User(1, "Ada"), datetime(2026, 1, 2, 3, 4, tzinfo=UTC), Decimal("9.50")
    )
    body = PostResource(post).resolve(make_request())
    json.dumps(body)  # serializable as is
    assert body["data"]["author"] == {"id": 1, "name": "Ada", "role": "member"}
    assert body["data"]["authors"] == [{"id": 1, "name": "Ada", "role": "member"}]
    assert body["data"]["id"] == "00000000-0000-0000-0000-000000000001"
    assert body["data"]["published_at"] == "2026-01-02T03:04:00+00:00"
    assert body["data"]["tags"] == ["a", "b"]


def test_to_response_gives_json_with_status_and_headers() -> None:
    response = UserResource(User(1, "Ada")).to_response(
        make_request(), status=201, headers={"Location": "/api/users/1"}
    )
    assert response.status_code == 201
    assert response.headers["location"] == "/api/users/1"
    assert json.loads(bytes(response.body))["data"]["name"] == "Ada"


def test_plain_collection_has_only_data() -> None:
    users = [User(1, "Ada"), User(2, "Grace", admin=True)]
    body = UserResource.collection(users).resolve(make_request())
    assert list(body) == ["data"]
    assert [u["name"] for u in body["data"]] == ["Ada", "Grace"]
    assert "secret" in body["data"][1] and "secret" not in body["data"][0]


def test_paginated_collection_has_laravels_links_and_meta() -> None:
    page = LengthAwarePaginator(
        items=[User(16, "P"), User(17, "Q")], total=32, per_page=15, current_page=2
    )
    request = make_request("page=2&per_page=15&filter%5Bname%5D=a")
    body = UserResource.collection(page).resolve(request)
    base = "https://api.example.com/api/users?"
    assert body["links"] == {
        "first": base + "per_page=15&filter%5Bname%5D=a&page=1",
        "last": base + "per_page=15&filter%5Bname%5D=a&page=3",
        "prev": base + "per_page=15&filter%5Bname%5D=a&page=1",
        "next": base + "per_page=15&filter%5Bname%5D=a&page=3",
    }
    assert body["meta"] == {
        "current_page": 2,
        "from": 16,
        "last_page": 3,
        "path": "https://api.example.com/api/users",
        "per_page": 15,
        "to": 17,
        "total": 32,
    }


def test_empty_page_and_edges() -> None:
    empty = LengthAwarePaginator[User](items=[], total=0, per_page=10, current_page=1)
    body = UserResource.collection(empty).resolve(make_request())
    assert body["data"] == []
    assert body["meta"]["from"] is None and body["meta"]["to"] is None
    assert body["meta"]["last_page"] == 1
    assert body["links"]["prev"] is None and body["links"]["next"] is None


def test_collection_subclass_extends_meta_with_its_own() -> None:
    class UserCollection(ResourceCollection[User]):
        def with_(self, request: Request) -> dict[str, Any]:
            return {"meta": {"generated": True}}

    page = LengthAwarePaginator(items=[User(1, "Ada")], total=1, per_page=15, current_page=1)
    body = UserCollection(UserResource, page).resolve(make_request())
    assert body["meta"]["generated"] is True and body["meta"]["total"] == 1


class Base(DeclarativeBase):
    pass


class Author(Base):
    __tablename__ = "authors"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str]


class Book(Base):
    __tablename__ = "books"
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str]
    author_id: Mapped[int] = mapped_column(ForeignKey("authors.id"))
    author: Mapped[Author] = relationship(lazy="raise")


class BookResource(JsonResource[Book]):
    def to_dict(self, request: Request) -> dict[str, Any]:
        return {
            "title": self.resource.title,
            "author": self.when_loaded("author"),
            "author_name": self.when_loaded("author", lambda: self.resource.author.name, None),
        }


def test_when_loaded_never_touches_an_unloaded_relationship() -> None:
    # lazy="raise" would raise on any read of book.author: when_loaded must not read it.
    book = Book(id=1, title="Dune", author_id=1)
    assert BookResource(book).resolve(make_request()) == {
        "data": {"title": "Dune", "author_name": None}
    }


def test_when_loaded_includes_a_loaded_relationship() -> None:
    book = Book(id=1, title="Dune", author=Author(id=1, name="Herbert"))
    data = BookResource(book).resolve(make_request())["data"]
    assert data["author_name"] == "Herbert"
    assert data["author"] == {"id": 1, "name": "Herbert"}  # default to_dict: its columns


def test_default_to_dict_uses_the_objects_own_serialization() -> None:
    class Account:
        def to_dict(self) -> dict[str, Any]:
            return {"id": 7, "name": "Ada"}  # e.g. a model leaving its hidden password out

    assert JsonResource(Account()).resolve(make_request()) == {"data": {"id": 7, "name": "Ada"}}
    assert JsonResource(User(1, "Ada")).resolve(make_request())["data"]["name"] == "Ada"
    assert JsonResource(None).resolve(make_request()) == {"data": None}


def test_values_are_encoded_as_jsonable_encoder_would() -> None:
    from enum import Enum, IntEnum

    from fastapi.encoders import jsonable_encoder

    class Colour(Enum):
        RED = "red"

    class Level(IntEnum):
        HIGH = 3

    class Everything(JsonResource[User]):
        def to_dict(self, request: Request) -> dict[str, Any]:
            return {
                "colour": Colour.RED,
                "level": Level.HIGH,
                "tags": {"b"},
                "nested": (1, 2.5, None, True),
                "owner": User(2, "Grace"),
                "by_colour": {Colour.RED: 1},
                "at": datetime(2026, 1, 2, 3, 4, tzinfo=UTC),
                "price": Decimal("9.50"),
            }

    body = Everything(User(1, "Ada")).resolve(make_request())
    expected = jsonable_encoder(
        {"data": Everything(User(1, "Ada")).to_dict(make_request())}, sqlalchemy_safe=True
    )
    assert body == expected
    assert body["data"]["by_colour"] == {"red": 1}
    assert json.loads(json.dumps(body)) == body
