"""The framework's suite runs against its own test application, ``tests/foundry/testbench``.

Set before any test builds an application or reads a setting (the shared fixtures in
``tests/conftest.py`` import the framework only, which reads no setting on import); artisan,
worker and server processes started by the tests inherit it.
"""

from __future__ import annotations

import os

from tests.foundry.testbench import CONFIG_PACKAGE

os.environ["APP_CONFIG_PACKAGE"] = CONFIG_PACKAGE
