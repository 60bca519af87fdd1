"""``artisan storage:link`` points ``public/storage`` at the public disk's folder."""

from __future__ import annotations

from pathlib import Path

from tests.foundry.console.helpers import artisan


def _env(tmp_path: Path) -> dict[str, str | None]:
    return {
        "FILESYSTEM_PUBLIC_ROOT": str(tmp_path / "storage" / "app" / "public"),
        "FILESYSTEM_PUBLIC_LINK": str(tmp_path / "public" / "storage"),
    }


def test_the_link_makes_public_files_reachable_under_public_storage(tmp_path: Path) -> None:
    result = artisan("storage:link", env=_env(tmp_path))
    assert result.exit_code == 0, result.stderr
    assert "link has been connected" in result.stdout
    link = tmp_path / "public" / "storage"
    assert link.is_symlink()
    (tmp_path / "storage" / "app" / "public" / "logo.txt").write_text("hi")
    assert (link / "logo.txt").read_text() == "hi"


def test_an_existing_link_is_kept_unless_forced(tmp_path: Path) -> None:
    assert artisan("storage:link", env=_env(tmp_path)).exit_code == 0
    again = artisan("storage:link", env=_env(tmp_path))
    assert again.exit_code == 1
    assert "already exists" in again.stderr
    forced = artisan("storage:link", "--force", "--relative", env=_env(tmp_path))
    assert forced.exit_code == 0, forced.stderr
    link = tmp_path / "public" / "storage"
    assert not link.readlink().is_absolute()
    assert link.resolve() == (tmp_path / "storage" / "app" / "public").resolve()


def test_a_real_folder_in_the_way_is_not_replaced(tmp_path: Path) -> None:
    (tmp_path / "public" / "storage").mkdir(parents=True)
    (tmp_path / "public" / "storage" / "keep.txt").write_text("mine")
    result = artisan("storage:link", "--force", env=_env(tmp_path))
    assert result.exit_code == 1
    assert "is not a link" in result.stderr
    assert (tmp_path / "public" / "storage" / "keep.txt").read_text() == "mine"
