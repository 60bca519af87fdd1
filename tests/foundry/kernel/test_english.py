"""The shared inflect engine: loaded without typeguard's instrumentation, which cost every
process that builds routes or runs a generator about 2.4 s of CPU."""

from __future__ import annotations

import subprocess
import sys

_PROBE = """
import typeguard
checked = typeguard.typechecked
from foundry.kernel.english import english
engine = english()
print(engine.plural_noun("person"), engine.singular_noun("posts"))
print("typeguard" in engine.plural_noun.__code__.co_names)
print(typeguard.typechecked is checked)
"""


def test_inflect_is_loaded_uninstrumented_and_typeguard_is_left_as_it_was() -> None:
    # A fresh interpreter: this one may have imported inflect already.
    probe = subprocess.run(
        [sys.executable, "-c", _PROBE], capture_output=True, text=True, timeout=60
    )

    assert probe.returncode == 0, probe.stderr
    assert probe.stdout.splitlines() == ["people post", "False", "True"]
