"""``make:job --batchable`` writes a BatchableJob whose handle stops once its batch is cancelled."""

from __future__ import annotations

import asyncio
import importlib.util
from pathlib import Path

from foundry.queue import BatchableJob
from tests.foundry.console.helpers import artisan


def test_make_job_batchable_writes_a_working_batchable_job(tmp_path: Path) -> None:
    result = artisan("make:job", "ImportRows", "--batchable", "--path", str(tmp_path))

    assert result.exit_code == 0, result.stderr
    assert "File [app/jobs/import_rows.py] created successfully." in result.stdout
    path = tmp_path / "app/jobs/import_rows.py"
    source = path.read_text()
    assert "class ImportRows(BatchableJob):" in source
    assert "if batch is not None and batch.cancelled():" in source
    spec = importlib.util.spec_from_file_location("generated_import_rows", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    job = module.ImportRows("rows.csv")
    assert asyncio.run(job.handle()) is None  # outside a batch: no batch to ask
    assert isinstance(job, BatchableJob) and job.fields() == {"value": "rows.csv"}


def test_make_job_without_the_flag_is_a_plain_job(tmp_path: Path) -> None:
    assert artisan("make:job", "SendDigest", "--path", str(tmp_path)).exit_code == 0
    source = (tmp_path / "app/jobs/send_digest.py").read_text()
    assert "class SendDigest(Job):" in source and "BatchableJob" not in source
