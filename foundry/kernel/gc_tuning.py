"""Garbage-collector settings for long-running processes: the HTTP server and queue workers.

A booted application holds well over 100,000 objects that live as long as the process (modules,
mappers, routes, compiled queries). Python's full collections walk all of them, and under
concurrent requests the young generation fills often, so those walks add up: measured on
``GET /api/v1/auth/me`` with 32 requests in flight, collections cost about 76 us a request.
Two standard remedies, both applied once per process after boot:

* ``gc.freeze()`` moves everything alive at that point into the permanent generation, which no
  collection walks again (it is never freed: it is the application itself);
* a larger first-generation threshold (``APP_GC_THRESHOLD``, 0 keeps Python's 700) makes young
  collections, and the older ones they trigger, less frequent; each still finds the same cycles.

Reference cycles created after boot are still collected as before. Turn it off with
``APP_GC_FREEZE=false``.
"""

from __future__ import annotations

import gc

__all__ = ["tune_after_boot"]

_done = False


def tune_after_boot(*, freeze: bool, threshold: int) -> bool:
    """Freeze the booted objects and set the young-generation threshold; only the first call in
    a process does anything (a test session that builds many apps freezes once). Returns whether
    this call did it."""
    global _done
    if _done or not freeze:
        return False
    _done = True
    gc.collect()  # what boot left as garbage is freed, not frozen
    gc.freeze()
    if threshold > 0:
        _, older, oldest = gc.get_threshold()
        gc.set_threshold(threshold, older, oldest)
    return True
