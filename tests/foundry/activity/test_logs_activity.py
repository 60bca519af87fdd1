"""LogsActivity: model events written in the change's own transaction, listed fields only."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from foundry.activity import LogBatch, acting_as, without_activity_logging
from tests.foundry.activity.conftest import entries
from tests.foundry.activity.models import Article, Note, Plain


async def test_created_entry_holds_only_the_listed_attributes(articles: AsyncSession) -> None:
    articles.add(Article(id=1, title="Hello", secret="s3cret", views=3))
    await articles.commit()
    [entry] = await entries(articles)
    assert entry.log_name == "articles"
    assert entry.event == "created"
    assert entry.description == "Article written"
    assert (entry.subject_type, entry.subject_id) == ("activity_articles", "1")
    assert entry.properties == {"attributes": {"title": "Hello", "status": "draft"}}
    assert entry.causer_type is None and entry.batch_uuid is None


async def test_a_rollback_leaves_no_entry(articles: AsyncSession) -> None:
    articles.add(Article(id=1, title="Hello"))
    await articles.flush()
    assert len(await entries(articles)) == 1  # written in the flush, inside the transaction
    await articles.rollback()
    assert await entries(articles) == []


async def test_update_logs_only_changed_listed_attributes_with_old_values(
    articles: AsyncSession,
) -> None:
    articles.add(Article(id=1, title="Hello"))
    await articles.commit()
    article = await articles.get_one(Article, 1)
    article.status = "published"
    article.views = 10  # not listed: never copied
    await articles.commit()
    entry = (await entries(articles))[-1]
    assert entry.event == "updated" and entry.description == "updated"
    assert entry.properties == {
        "attributes": {"status": "published"},
        "old": {"status": "draft"},
    }


async def test_an_update_of_unlisted_attributes_only_is_not_logged(articles: AsyncSession) -> None:
    articles.add(Article(id=1, title="Hello"))
    await articles.commit()
    article = await articles.get_one(Article, 1)
    article.views = 99
    article.title = "Hello"  # set to the value it had: no change
    await articles.commit()
    assert [entry.event for entry in await entries(articles)] == ["created"]


async def test_soft_delete_and_restore_are_deleted_and_restored(articles: AsyncSession) -> None:
    articles.add(Article(id=1, title="Hello"))
    await articles.commit()
    article = await articles.get_one(Article, 1)
    article.soft_delete()
    await articles.commit()
    article.restore()
    await articles.commit()
    await article.force_delete(articles)
    await articles.commit()
    found = await entries(articles)
    assert [entry.event for entry in found] == ["created", "deleted", "restored", "deleted"]
    assert found[1].properties == {"attributes": {"title": "Hello", "status": "draft"}}


async def test_all_attributes_but_excepted_and_full_update_without_only_changed(
    articles: AsyncSession,
) -> None:
    articles.add(Note(id=7, body="one", secret="hidden"))
    await articles.commit()
    note = await articles.get_one(Note, 7)
    note.secret = "other"  # excepted; without log_only_changed every listed value is copied
    await articles.commit()
    created, updated = await entries(articles)
    assert created.log_name == "default" and created.description == "Note created"
    assert created.properties == {"attributes": {"id": 7, "body": "one"}}
    same = {"id": 7, "body": "one"}
    assert updated.properties == {"attributes": same, "old": same}
    note = await articles.get_one(Note, 7)
    note.body = "two"
    await articles.commit()
    last = (await entries(articles))[-1]
    assert last.properties == {"attributes": {"id": 7, "body": "two"}, "old": same}


async def test_one_flush_writes_every_entry_with_the_causer_and_batch(
    articles: AsyncSession,
) -> None:
    articles.add(Note(id=1, body="causer"))
    articles.add(Plain(id=1, title="not logged"))
    await articles.commit()
    causer = await articles.get_one(Note, 1)
    async with LogBatch() as batch:
        with acting_as(causer):
            articles.add_all([Article(id=1, title="a"), Article(id=2, title="b")])
            await articles.commit()
    found = [entry for entry in await entries(articles) if entry.log_name == "articles"]
    assert len(found) == 2
    assert {(entry.causer_type, entry.causer_id) for entry in found} == {("activity_notes", "1")}
    assert {entry.batch_uuid for entry in found} == {batch.uuid}


async def test_without_activity_logging_writes_nothing(articles: AsyncSession) -> None:
    with without_activity_logging():
        articles.add(Article(id=1, title="quiet"))
        await articles.commit()
    assert await entries(articles) == []


async def test_many_flushes_write_their_entries_before_the_commit(articles: AsyncSession) -> None:
    article = Article(id=1, title="v0")
    articles.add(article)
    for version in range(1, 6):
        await articles.flush()
        article.title = f"v{version}"
    await articles.commit()
    found = await entries(articles)
    assert [entry.properties["attributes"]["title"] for entry in found] == [
        "v0",
        "v1",
        "v2",
        "v3",
        "v4",
        "v5",
    ]


async def test_a_savepoint_rollback_drops_its_entries_and_keeps_the_outer_ones(
    articles: AsyncSession,
) -> None:
    articles.add(Article(id=1, title="outer"))
    await articles.flush()  # held for the session's transaction
    savepoint = await articles.begin_nested()
    articles.add(Article(id=2, title="inner"))
    await articles.flush()
    await articles.execute(select(Article.id))  # writes both, inside the savepoint
    await savepoint.rollback()
    released = await articles.begin_nested()
    articles.add(Article(id=3, title="kept"))
    await released.commit()
    await articles.commit()
    found = await entries(articles)
    assert [entry.properties["attributes"]["title"] for entry in found] == ["outer", "kept"]
