"""Fixtures for the storage tests: moto's S3 server, a fresh bucket per test, and disks."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from foundry.kernel.application import Application
from foundry.storage import Disk, StorageManager
from tests.conftest import MakeApplication
from tests.support.s3_server import (
    ACCESS_KEY,
    REGION,
    SECRET_KEY,
    S3Server,
    moto_available,
    s3_server,
)
from tests.support.services import IN_CI

PROVIDERS = '["foundry.storage.provider.StorageServiceProvider"]'
APP_KEY = "base64:" + "A" * 43 + "="


@pytest.fixture(scope="session")
def moto_s3(tmp_path_factory: pytest.TempPathFactory) -> Iterator[S3Server]:
    """moto's S3 server, once per test session (skipped locally without moto; CI needs it)."""
    if not moto_available():
        if IN_CI:
            pytest.fail("CI needs moto's S3 server: pip install 'moto[server]'")
        pytest.skip("moto is not installed: pip install 'moto[server]' to run the S3 tests")
    with s3_server(tmp_path_factory.mktemp("moto") / "moto.log") as server:
        yield server


@pytest.fixture
def s3_env(moto_s3: S3Server) -> dict[str, str]:
    """``AWS_*`` variables for a fresh bucket of its own on the moto server."""
    bucket = f"foundry-{secrets.token_hex(6)}"
    # CreateBucket is a bare PUT; moto checks no signature on it.
    httpx.put(f"{moto_s3.endpoint}/{bucket}").raise_for_status()
    return {
        "AWS_ACCESS_KEY_ID": ACCESS_KEY,
        "AWS_SECRET_ACCESS_KEY": SECRET_KEY,
        "AWS_DEFAULT_REGION": REGION,
        "AWS_BUCKET": bucket,
        "AWS_ENDPOINT": moto_s3.endpoint,
        "AWS_USE_PATH_STYLE_ENDPOINT": "true",
    }


def storage_app(make_application: MakeApplication, root: Path, **env: str) -> Application:
    """An app with the storage provider, its local and public disks under ``root``."""
    return make_application(
        APP_PROVIDERS=PROVIDERS,
        APP_KEY=APP_KEY,
        APP_URL="http://app.test",
        FILESYSTEM_LOCAL_ROOT=str(root / "private"),
        FILESYSTEM_PUBLIC_ROOT=str(root / "public"),
        FILESYSTEM_PUBLIC_LINK=str(root / "public-html" / "storage"),
        **env,
    )


S3 = pytest.param("s3", marks=pytest.mark.s3)


@pytest.fixture(params=["local", S3])
def disk(request: pytest.FixtureRequest, make_application: MakeApplication, tmp_path: Path) -> Disk:
    """Each driver in turn: the local disk, and the S3 disk on moto."""
    env = request.getfixturevalue("s3_env") if request.param == "s3" else {}
    app = storage_app(make_application, tmp_path, **env)
    return app.container.make(StorageManager).disk(str(request.param))
