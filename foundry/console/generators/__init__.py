"""Code generators behind the ``make:*`` commands: names, Jinja2 stubs, safe writing.

The templates live in ``foundry/console/stubs/`` (one ``<kind>.py.j2`` per kind); what each kind is
called and where it goes is in :mod:`foundry.console.generators.kinds`.
"""

from foundry.console.generators.names import Name, pluralize
from foundry.console.generators.writer import STUBS_PATH, Generator, PlannedFile, render

__all__ = ["STUBS_PATH", "Generator", "Name", "PlannedFile", "pluralize", "render"]
