"""Factories on SQLite and PostgreSQL, with test-only authors, posts and comments."""

from __future__ import annotations

from typing import Any, Self

import pytest
from sqlalchemy import ForeignKey, MetaData, String, delete, func, inspect, select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from foundry.database import NAMING_CONVENTION, Seeder, run_seeder
from foundry.database.factories import Factory, FactoryError
from foundry.kernel.application import Application


class FactoryTestBase(DeclarativeBase):
    """Own registry and metadata: migrations never see these tables."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Author(FactoryTestBase):
    __tablename__ = "factory_authors"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    email: Mapped[str] = mapped_column(String(200), unique=True)
    posts: Mapped[list[Post]] = relationship(back_populates="author", lazy="raise")
    profile: Mapped[Profile | None] = relationship(back_populates="author", lazy="raise")


class Profile(FactoryTestBase):
    __tablename__ = "factory_profiles"

    id: Mapped[int] = mapped_column(primary_key=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("factory_authors.id"), unique=True)
    bio: Mapped[str] = mapped_column(String(500))
    author: Mapped[Author] = relationship(back_populates="profile", lazy="raise")


class Post(FactoryTestBase):
    __tablename__ = "factory_posts"

    id: Mapped[int] = mapped_column(primary_key=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("factory_authors.id"))
    title: Mapped[str] = mapped_column(String(200))
    published: Mapped[bool] = mapped_column(default=False)
    author: Mapped[Author] = relationship(back_populates="posts", lazy="raise")
    comments: Mapped[list[Comment]] = relationship(back_populates="post", lazy="raise")


class Comment(FactoryTestBase):
    __tablename__ = "factory_comments"

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("factory_posts.id"))
    body: Mapped[str] = mapped_column(String(500))
    post: Mapped[Post] = relationship(back_populates="comments", lazy="raise")


class AuthorFactory(Factory[Author]):
    model = Author

    def definition(self) -> dict[str, Any]:
        return {"name": self.faker.name(), "email": self.faker.unique.email()}


class ProfileFactory(Factory[Profile]):
    model = Profile

    def definition(self) -> dict[str, Any]:
        return {"bio": self.faker.sentence()}


class PostFactory(Factory[Post]):
    model = Post

    def definition(self) -> dict[str, Any]:
        return {"title": self.faker.sentence(nb_words=4), "published": False}

    def published(self) -> Self:
        return self.state({"published": True})


class CommentFactory(Factory[Comment]):
    model = Comment

    def definition(self) -> dict[str, Any]:
        return {"body": self.faker.paragraph()}


@pytest.fixture
async def tables(db: AsyncConnection) -> None:
    await db.run_sync(FactoryTestBase.metadata.create_all)


async def _count(session: AsyncSession, model: type[FactoryTestBase]) -> int:
    return await session.scalar(select(func.count()).select_from(model)) or 0


# -- make: unsaved models --------------------------------------------------------------------


def test_make_builds_one_unsaved_model_from_the_definition() -> None:
    author = AuthorFactory.new().make()
    assert isinstance(author, Author)
    assert inspect(author).transient
    assert author.name and "@" in author.email


def test_make_many_builds_count_models_with_different_values() -> None:
    authors = AuthorFactory.new().count(5).make_many()
    assert len(authors) == 5
    assert len({author.email for author in authors}) == 5
    assert AuthorFactory.new().make_many() != [] and AuthorFactory.new().count(0).make_many() == []


def test_make_refuses_a_counted_factory_so_the_type_stays_one_model() -> None:
    with pytest.raises(FactoryError, match=r"count\(3\): use make_many\(\)"):
        AuthorFactory.new().count(3).make()


def test_states_apply_in_order_and_overrides_win() -> None:
    factory = (
        PostFactory.new(title="First")
        .state({"published": True})
        .state(lambda attributes: {"title": attributes["title"] + " edited"})
    )
    post = factory.make()
    assert (post.title, post.published) == ("First edited", True)
    assert factory.make(title="Given").title == "Given"
    assert PostFactory.new().published().make().published is True


def test_factories_are_immutable_builders() -> None:
    base = PostFactory.new(title="Base")
    published = base.published()
    counted = base.count(4)
    assert base.make().published is False
    assert published.make().published is True
    assert len(counted.make_many()) == 4
    assert base.make().title == "Base"


def test_sequence_cycles_states_across_the_batch() -> None:
    posts = (
        PostFactory.new()
        .count(5)
        .sequence({"published": True}, {"published": False})
        .sequence(lambda index: {"title": f"Post {index}"})
        .make_many()
    )
    assert [post.published for post in posts] == [True, False, True, False, True]
    assert [post.title for post in posts] == [f"Post {i}" for i in range(5)]


def test_seeded_factories_repeat_their_values() -> None:
    first = AuthorFactory.new().seed(1234).count(3).make_many()
    again = AuthorFactory.new().seed(1234).count(3).make_many()
    other = AuthorFactory.new().seed(99).count(3).make_many()
    assert [a.name for a in first] == [a.name for a in again]
    assert [a.name for a in first] != [a.name for a in other]
    assert AuthorFactory.new().seed(7).raw() == AuthorFactory.new().seed(7).raw()


def test_make_links_has_and_for_in_memory() -> None:
    author = AuthorFactory.new().make(name="Ada")
    post = PostFactory.new().for_(author, "author").has(CommentFactory.new().count(2), "comments")
    made = post.make()
    assert made.author is author
    assert len(made.comments) == 2 and all(c.post is made for c in made.comments)
    parent_made = PostFactory.new().for_(AuthorFactory.new(name="Grace"), "author").make()
    assert parent_made.author.name == "Grace"


def test_after_making_runs_for_each_model() -> None:
    seen: list[str] = []
    PostFactory.new().count(2).sequence({"title": "a"}, {"title": "b"}).after_making(
        lambda post: seen.append(post.title)
    ).make_many()
    assert seen == ["a", "b"]


def test_bad_relationships_and_attributes_are_named() -> None:
    with pytest.raises(FactoryError, match="Post has no relationship 'tags'"):
        PostFactory.new().has(CommentFactory.new(), "tags")
    with pytest.raises(
        FactoryError, match=r"Post.author is many-to-one; has\(\) needs a one-to-many"
    ):
        PostFactory.new().has(AuthorFactory.new(), "author")
    with pytest.raises(FactoryError, match="holds Comment, not Author"):
        PostFactory.new().has(AuthorFactory.new(), "comments")
    with pytest.raises(FactoryError, match="one model"):
        PostFactory.new().for_(AuthorFactory.new().count(2), "author")
    with pytest.raises(FactoryError, match="PostFactory: .*'colour'"):
        PostFactory.new().make(colour="red")


# -- create: persisted through the session ---------------------------------------------------


@pytest.mark.usefixtures("tables")
async def test_create_flushes_without_committing(application: Application) -> None:
    async with application.container.scope() as scope:
        session = scope.make(AsyncSession)
        author = await AuthorFactory.new().create(session, name="Ada")
        assert author.id is not None
        assert await _count(session, Author) == 1
        await session.rollback()
        assert await _count(session, Author) == 0


@pytest.mark.usefixtures("tables")
async def test_create_uses_the_current_scopes_session(session: AsyncSession) -> None:
    authors = await AuthorFactory.new().count(3).create_many()
    assert all(author in session for author in authors)
    assert await _count(session, Author) == 3


async def test_create_outside_a_scope_says_what_to_pass(application: Application) -> None:
    with pytest.raises(FactoryError, match="create\\(\\) needs a session"):
        await AuthorFactory.new().create()


@pytest.mark.usefixtures("tables")
async def test_for_creates_the_parent_once_and_links_the_batch(session: AsyncSession) -> None:
    posts = await PostFactory.new().count(3).for_(AuthorFactory.new(), "author").create_many()
    assert len({post.author_id for post in posts}) == 1
    assert await _count(session, Author) == 1
    assert posts[0].author.id == posts[0].author_id  # set without a (raising) lazy load

    ada = await AuthorFactory.new().create(name="Ada")
    post = await PostFactory.new().for_(ada, "author").create()
    assert post.author_id == ada.id and post.author is ada


@pytest.mark.usefixtures("tables")
async def test_has_creates_children_with_the_parents_key(session: AsyncSession) -> None:
    authors = await (
        AuthorFactory.new()
        .count(2)
        .has(PostFactory.new().count(2).has(CommentFactory.new().count(3), "comments"), "posts")
        .create_many()
    )
    assert await _count(session, Post) == 4
    assert await _count(session, Comment) == 12
    for author in authors:
        assert [post.author_id for post in author.posts] == [author.id, author.id]
        assert all(post.author is author for post in author.posts)
        rows = await session.scalars(select(Post.id).where(Post.author_id == author.id))
        assert sorted(rows) == sorted(post.id for post in author.posts)
    first_post = authors[0].posts[0]
    assert {c.post_id for c in first_post.comments} == {first_post.id}


@pytest.mark.usefixtures("tables")
async def test_has_on_a_one_to_one_relationship_holds_one_model(session: AsyncSession) -> None:
    factory = AuthorFactory.new().has(ProfileFactory.new(bio="Hello"), "profile")
    made = factory.make()
    assert made.profile is not None and made.profile.author is made
    author = await factory.create()
    assert author.profile is not None
    assert (author.profile.bio, author.profile.author_id) == ("Hello", author.id)
    assert await _count(session, Profile) == 1


@pytest.mark.usefixtures("tables")
async def test_after_creating_sees_saved_models_and_may_be_async(session: AsyncSession) -> None:
    seen: list[tuple[str, int]] = []

    async def count_comments(post: Post) -> None:
        seen.append(("async", len(post.comments)))

    await (
        PostFactory.new()
        .for_(AuthorFactory.new(), "author")
        .has(CommentFactory.new().count(2), "comments")
        .after_creating(lambda post: seen.append(("sync", post.id)))
        .after_creating(count_comments)
        .create()
    )
    post_id = await session.scalar(select(Post.id))
    assert seen == [("sync", post_id), ("async", 2)]


@pytest.mark.usefixtures("tables")
async def test_seeded_create_is_repeatable_across_the_graph(session: AsyncSession) -> None:
    factory = PostFactory.new().seed(42).for_(AuthorFactory.new(), "author")
    first = await factory.create()
    await session.execute(delete(Post))
    await session.execute(delete(Author))
    again = await factory.create()
    assert (again.title, again.author.name) == (first.title, first.author.name)


# -- seeders ----------------------------------------------------------------------------------


class BlogSeeder(Seeder):
    async def run(self) -> None:
        await (
            AuthorFactory.new()
            .count(2)
            .has(PostFactory.new().count(3).published(), "posts")
            .create_many(self.session)
        )


@pytest.mark.usefixtures("tables")
async def test_a_seeder_fills_the_database_through_factories(session: AsyncSession) -> None:
    assert await run_seeder(f"{__name__}.BlogSeeder", session=session) == ["BlogSeeder"]
    assert await _count(session, Author) == 2
    published = select(func.count()).select_from(Post).where(Post.published.is_(True))
    assert await session.scalar(published) == 6
