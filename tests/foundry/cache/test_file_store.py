"""The file store as several processes see it: one directory, many readers and writers."""

from __future__ import annotations

import asyncio
import sys
import textwrap
from pathlib import Path

from foundry.cache import FileStore, Repository
from foundry.config.base import BASE_PATH
from tests.foundry.cache.conftest import FakeClock


def repository(path: Path, prefix: str = "cache:", clock: FakeClock | None = None) -> Repository:
    store = (
        FileStore(path, prefix=prefix)
        if clock is None
        else FileStore(path, prefix=prefix, clock=clock)
    )
    return Repository(store, "file")


async def test_an_entry_written_by_one_store_is_seen_by_another(tmp_path: Path) -> None:
    writer, reader = repository(tmp_path), repository(tmp_path)
    await writer.put("shared", {"from": "writer"}, 60)
    assert await reader.get("shared") == {"from": "writer"}
    assert await reader.add("shared", "reader's") is False
    await reader.forget("shared")
    assert await writer.get("shared") is None


async def test_a_lock_held_through_one_store_blocks_another(tmp_path: Path) -> None:
    assert await repository(tmp_path).lock("job", 10).acquire()
    assert await repository(tmp_path).lock("job", 10).acquire() is False


async def run_child(cache_path: Path, code: str) -> str:
    """Run ``code`` in a separate Python process with ``repo`` bound to a FileStore repository."""
    script = textwrap.dedent(f"""
        import asyncio, json, sys
        from pathlib import Path
        from foundry.cache import FileStore, Repository

        async def main():
            repo = Repository(FileStore(Path({str(cache_path)!r}), prefix="cache:"))
        """) + textwrap.indent(textwrap.dedent(code), " " * 4) + "\nasyncio.run(main())\n"
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-c",
        script,
        cwd=BASE_PATH,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await process.communicate()
    assert process.returncode == 0, err.decode()
    return out.decode().strip()


async def test_another_process_sees_entries_locks_and_counters(tmp_path: Path) -> None:
    repo = repository(tmp_path)
    await repo.put("greeting", "hello from the parent", 60)
    await repo.lock("job", 30).acquire()

    out = await run_child(
        tmp_path,
        """
        print(json.dumps([
            await repo.get("greeting"),
            await repo.lock("job", 30).acquire(),
            await repo.increment("counter", 5),
        ]))
        await repo.put("reply", "hello from the child")
        """,
    )

    assert out == '["hello from the parent", false, 5]'
    assert await repo.get("reply") == "hello from the child"
    assert await repo.increment("counter") == 6


async def test_prefixes_keep_two_apps_in_one_directory_apart(tmp_path: Path) -> None:
    first, second = repository(tmp_path, "one:"), repository(tmp_path, "two:")
    await first.put("key", "first")
    assert await second.get("key") is None
    await second.put("key", "second")
    assert await first.get("key") == "first"


async def test_writes_leave_no_temporary_files_and_expired_files_are_removed(
    tmp_path: Path,
) -> None:
    clock = FakeClock()
    repo = repository(tmp_path, clock=clock)
    await repo.put_many({f"key{i}": "x" * 1000 for i in range(10)}, 1)
    files = [p for p in tmp_path.rglob("*") if p.is_file() and p.parent.name != "locks"]
    assert len(files) == 10
    assert not [p for p in files if p.name.endswith(".tmp")]
    clock.advance(2)
    assert await repo.get("key0") is None
    remaining = [p for p in tmp_path.rglob("*") if p.is_file() and p.parent.name != "locks"]
    assert len(remaining) == 9


async def test_a_damaged_file_reads_as_missing(tmp_path: Path) -> None:
    store = FileStore(tmp_path)
    repo = Repository(store)
    await repo.put("key", "value")
    store.path_for("key").write_text("garbage without an expiry line", encoding="utf-8")
    assert await repo.get("key") is None
    assert await repo.add("key", "fresh") is True
    assert await repo.get("key") == "fresh"


async def test_flush_on_a_directory_that_does_not_exist_yet(tmp_path: Path) -> None:
    repo = repository(tmp_path / "not-yet")
    await repo.flush()
    await repo.put("key", 1)
    assert await repo.get("key") == 1
