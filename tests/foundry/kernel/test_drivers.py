"""The driver registry every manager holds: named drivers built once, ``extend``, and ``Forward``."""

from __future__ import annotations

from typing import assert_type

import pytest

from foundry.kernel.drivers import DriverRegistry, Forward


class Backend:
    """The base class of the toy battery's drivers."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.items: list[str] = []

    def save(self, item: str, *, twice: bool = False) -> int:
        """Keep ``item`` (twice if asked); the number of items kept."""
        self.items.extend([item, item] if twice else [item])
        return len(self.items)


class MemoryBackend(Backend):
    pass


class DiskBackend(Backend):
    pass


class CustomBackend(Backend):
    pass


class UnknownBackendError(LookupError):
    pass


class Notes:
    """A toy manager: two built-in back ends, the default named by its "settings"."""

    def __init__(self, default: str = "memory") -> None:
        self.default = default
        #: The name of every instance built, in order (``custom <name>`` by ``custom``).
        self.builds: list[str] = []
        self.backends = DriverRegistry(
            self,
            kind="notes back end",
            built_in={"memory": memory, "disk": disk},
            default=lambda: self.default,
            error=UnknownBackendError,
        )

    def backend(self, name: str | None = None) -> Backend:
        return self.backends.driver(name)

    save = Forward(backend, Backend.save)


def memory(notes: Notes, name: str) -> Backend:
    notes.builds.append(name)
    return MemoryBackend(name)


def disk(notes: Notes, name: str) -> Backend:
    notes.builds.append(name)
    return DiskBackend(name)


def custom(notes: Notes, name: str) -> Backend:
    notes.builds.append(f"custom {name}")
    return CustomBackend(name)


def test_built_in_drivers_are_found_by_name_and_the_default_by_the_settings() -> None:
    notes = Notes(default="disk")

    assert isinstance(notes.backends.driver("memory"), MemoryBackend)
    assert isinstance(notes.backends.driver(), DiskBackend)
    assert notes.backends.default_name == "disk"
    assert notes.backends.names() == ["memory", "disk"]
    notes.default = "memory"  # the default is read on each call, never copied
    assert isinstance(notes.backends.driver(), MemoryBackend)


def test_each_driver_is_built_on_first_use_then_reused() -> None:
    notes = Notes()
    assert notes.builds == []

    first = notes.backends.driver("memory")
    assert notes.backends.driver("memory") is first
    assert notes.backends.driver() is first

    assert notes.builds == ["memory"]
    assert notes.backends.built() == {"memory": first}


def test_extend_adds_a_driver_listed_after_the_built_in_ones() -> None:
    notes = Notes()
    notes.backends.extend("s3", custom)

    backend = notes.backends.driver("s3")

    assert isinstance(backend, CustomBackend) and backend.name == "s3"
    assert notes.backends.names() == ["memory", "disk", "s3"]


def test_extend_replaces_a_built_in_driver_and_drops_the_instance_it_built() -> None:
    notes = Notes()
    old = notes.backends.driver("memory")
    untouched = notes.backends.driver("disk")

    notes.backends.extend("memory", custom)

    new = notes.backends.driver("memory")
    assert isinstance(new, CustomBackend) and new is not old
    assert notes.backends.driver("disk") is untouched
    assert notes.backends.names() == ["memory", "disk"]
    assert notes.builds == ["memory", "disk", "custom memory"]


def test_an_unknown_name_raises_the_managers_error_naming_the_known_ones() -> None:
    notes = Notes()
    notes.backends.extend("s3", custom)

    with pytest.raises(UnknownBackendError) as raised:
        notes.backends.driver("dsik")

    assert str(raised.value) == (
        "notes back end 'dsik' is not defined; known notes back ends: memory, disk, s3"
    )
    notes.default = "nowhere"
    with pytest.raises(UnknownBackendError, match="'nowhere' is not defined"):
        notes.backends.driver()


def test_without_an_error_class_an_unknown_name_is_a_lookup_error() -> None:
    registry: DriverRegistry[Notes, Backend] = DriverRegistry(
        Notes(), kind="thing", built_in={}, default=lambda: "a"
    )
    with pytest.raises(LookupError, match="thing 'a' is not defined; known things: none"):
        registry.driver()


def test_a_fallback_builds_every_name_no_driver_claims() -> None:
    notes = Notes()
    registry = DriverRegistry(
        notes, kind="notes back end", built_in={"disk": disk}, default=lambda: "x", fallback=custom
    )

    assert isinstance(registry.driver("anything"), CustomBackend)
    assert isinstance(registry.driver("disk"), DiskBackend)
    assert registry.names() == ["disk"]


def test_instances_named_apart_from_their_drivers_share_a_driver_not_an_instance() -> None:
    # A queue's connections: "emails" and "reports" both run on the "memory" driver.
    notes = Notes()
    connections = {"emails": "memory", "reports": "memory", "archive": "disk", "broken": "ftp"}
    registry = DriverRegistry(
        notes,
        kind="notes driver",
        built_in={"memory": memory, "disk": disk},
        default=lambda: "emails",
        error=UnknownBackendError,
        driver_of=connections.__getitem__,
    )

    emails, reports = registry.driver(), registry.driver("reports")
    archive = registry.driver("archive")
    assert isinstance(emails, MemoryBackend) and isinstance(reports, MemoryBackend)
    assert emails is not reports and (emails.name, reports.name) == ("emails", "reports")

    registry.extend("memory", custom)  # drops the instances of that driver only
    assert isinstance(registry.driver("emails"), CustomBackend)
    assert registry.driver("archive") is archive

    with pytest.raises(UnknownBackendError, match="notes driver 'ftp' \\(of 'broken'\\)"):
        registry.driver("broken")


def test_a_fake_adopts_the_extensions_but_keeps_the_built_ins_it_names() -> None:
    real = Notes()
    real.backends.extend("s3", custom)
    real.backends.extend("memory", custom)
    fake = Notes()

    fake.backends.adopt_extensions(real.backends, keep_built_in=("memory",))

    assert isinstance(fake.backends.driver("s3"), CustomBackend)
    assert isinstance(fake.backends.driver("memory"), MemoryBackend)
    assert fake.builds == ["custom s3", "memory"]  # built with the fake, not the real manager


def test_release_hands_back_the_built_instances_and_forgets_them() -> None:
    notes = Notes()
    first = notes.backends.driver("memory")

    assert notes.backends.release() == [first]
    assert notes.backends.built() == {}
    assert notes.backends.driver("memory") is not first


def test_forward_runs_the_method_of_the_current_default_driver() -> None:
    notes = Notes()

    assert notes.save("a") == 1
    assert notes.save("b", twice=True) == 3
    notes.default = "disk"
    assert notes.save("c") == 1

    assert notes.backend("memory").items == ["a", "b", "b"]
    assert notes.backend("disk").items == ["c"]
    assert Notes.save.__doc__ == Backend.save.__doc__


def test_the_registry_and_forwarded_methods_are_typed_as_the_driver() -> None:
    notes = Notes()
    assert_type(notes.backends.driver("disk"), Backend)
    assert_type(notes.backends.built(), dict[str, Backend])
    assert_type(notes.save("a", twice=True), int)
    # What mypy rejects: tests/typing/drivers.py.
