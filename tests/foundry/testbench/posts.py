"""A ``Post`` resource of the test application: boards, posts, a policy and a REST controller.

Its tables live on their own metadata (tests create them inside their transaction), so the
framework's migrations and autogenerate checks never see them.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel
from sqlalchemy import ForeignKey, String, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from foundry.database import Base, SoftDeletes
from foundry.http.binding import Bound, bind
from foundry.http.dependencies import Inject
from foundry.http.permissions import AuthorizedUser
from foundry.http.requests import FormRequest, Validated
from foundry.permissions import Gate, authorize
from tests.foundry.testbench.models import User

__all__ = ["Board", "Post", "PostController", "PostPolicy", "PostsBase", "UpdatePostRequest"]


class PostsBase(DeclarativeBase):
    """The posts' own metadata, with the app's column types."""

    type_annotation_map = Base.type_annotation_map


class Board(PostsBase):
    __tablename__ = "tb_boards"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(50))


class Post(SoftDeletes, PostsBase):
    __tablename__ = "tb_posts"
    id: Mapped[int] = mapped_column(primary_key=True)
    board_id: Mapped[int] = mapped_column(ForeignKey("tb_boards.id"))
    author_id: Mapped[int]
    title: Mapped[str] = mapped_column(String(100))
    board: Mapped[Board] = relationship(lazy="raise")


class PostPolicy:
    """Anyone signed in reads; only the author changes or deletes; ``posts.create`` creates."""

    def view_any(self, user: User) -> bool:
        return True

    def view(self, user: User, post: Post) -> bool:
        return True

    def create(self, user: User) -> bool:
        return user.check_permission_to("posts.create")

    def update(self, user: User, post: Post) -> bool:
        return post.author_id == user.id

    def delete(self, user: User, post: Post) -> bool:
        return post.author_id == user.id


class StorePostRequest(FormRequest):
    board_id: int
    title: str


class UpdatePostRequest(FormRequest):
    """Authorized through the gate, on the post the route bound."""

    title: str

    async def authorize(self, request: Any) -> bool:
        user = await self.user()
        return user is not None and Gate.allows("update", self.route("post"))


class PostOut(BaseModel):
    id: int
    title: str


def _out(post: Post) -> PostOut:
    return PostOut(id=post.id, title=post.title)


class PostController:
    """The five REST actions; ``api_resource(..., authorize=Post)`` checks the policy first."""

    async def index(self, session: Inject[AsyncSession]) -> list[PostOut]:
        return [_out(post) for post in await session.scalars(select(Post).order_by(Post.id))]

    async def store(
        self, data: Validated[StorePostRequest], user: AuthorizedUser, session: Inject[AsyncSession]
    ) -> PostOut:
        post = Post(board_id=data.board_id, title=data.title, author_id=user.id)
        session.add(post)
        await session.commit()
        return _out(post)

    async def show(self, post: Bound[Post]) -> PostOut:
        return _out(post)

    async def update(
        self, post: Bound[Post], data: Validated[UpdatePostRequest], session: Inject[AsyncSession]
    ) -> PostOut:
        post.title = data.title
        await session.commit()
        return _out(post)

    async def destroy(self, post: Bound[Post], session: Inject[AsyncSession]) -> None:
        post.soft_delete()
        await session.commit()


async def rename_unchecked(post: Bound[Post], user: AuthorizedUser) -> PostOut:
    """A controller calling ``authorize("update", post)`` itself."""
    authorize("update", post)
    return _out(post)


async def show_with_trashed(
    post: Annotated[Post, bind(Post, with_trashed=True)],
) -> PostOut:
    return _out(post)


async def show_on_board(
    board: Bound[Board], post: Annotated[Post, bind(Post, scope_bindings="board")]
) -> PostOut:
    return _out(post)


async def edit_title(post: Bound[Post], data: Validated[UpdatePostRequest]) -> PostOut:
    """No route-level check: the form request's ``authorize()`` alone decides."""
    return PostOut(id=post.id, title=data.title)
