"""What a test that runs pytest in a fresh interpreter passes so that run starts quickly."""

from __future__ import annotations

__all__ = ["UNUSED_PLUGINS"]

#: Installed pytest plugins the nested runs never use, left unloaded: hypothesis's (it imports
#: hypothesis), schemathesis's (hypothesis again, and more) and faker's cost each pytest process
#: about 2 s of CPU before it collects anything. The suites use hypothesis and schemathesis as
#: libraries, and no nested run collects a module that does; what those runs check is the
#: project's own conftest and the generated tests.
UNUSED_PLUGINS: tuple[str, ...] = (
    "-p",
    "no:hypothesispytest",
    "-p",
    "no:schemathesis",
    "-p",
    "no:faker",
)
