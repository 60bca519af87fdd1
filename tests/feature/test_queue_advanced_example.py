"""``make queue-advanced-example``: the script runs every advanced queue feature end to end on
SQLite and checks the outcome itself; here its exit code and its narrative are checked."""

from __future__ import annotations

import os
import subprocess
import sys

from foundry.config.base import BASE_PATH


def test_the_advanced_queue_example_runs_every_part_and_says_so() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "scripts.queue_advanced_example"],
        cwd=BASE_PATH,
        env={
            **os.environ,
            "PYTHONPATH": os.pathsep.join(
                filter(None, [str(BASE_PATH), os.environ.get("PYTHONPATH")])
            ),
        },
        capture_output=True,
        text=True,
        timeout=120,
    )

    output = done.stdout
    assert done.returncode == 0, output + done.stderr
    assert "OK: every part of the example did what it should" in output
    # The batch: progress as jobs finish, its one allowed failure, catch and finally.
    assert "batch Imports: 4/5 done, 1 failed (allowed)" in output
    assert "batch Imports: catch, first failure (allowed, batch goes on)" in output
    assert "batch Imports: finally, every job ran once (4 succeeded, 1 failed)" in output
    # The chain: extract ran, transform failed, load never ran, the catch named the link.
    assert "chain: extract orders: ok" in output
    assert "chain Orders ETL: catch, link 1 (TransformOrdersJob) failed" in output
    assert "load orders" not in output
    # The rate limit: extra calls released, then every call sent.
    assert "rate limiter: request" in output and "released for" in output
    for request in range(1, 7):
        assert f"partner API request {request}: sent" in output
    # The secure job: the token encrypted at rest, the holder's job ran, the other refused.
    assert "sk_live_payroll_4242" not in output
    assert '"$t": "enc"' in output
    assert "payroll export for acme: got the token (...4242, 20 characters) decrypted" in output
    assert "user 2 (lacks payroll.export) refused at dispatch" in output
    # The scheduler queued the digest at its minute only, and the worker ran it.
    assert "SendDailyDigestJob queued as" in output
    assert "scheduler at 08:01: nothing due" in output
    assert "daily digest for ops: sent" in output
