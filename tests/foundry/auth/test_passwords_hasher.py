"""The password hasher: argon2id round trips, bcrypt imports, rehashing, the pool, dummy verify."""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Callable, Iterator

import argon2
import bcrypt
import pytest

from foundry.auth.passwords import PasswordCheck, PasswordHasher
from foundry.kernel.application import Application

MakeApplication = Callable[..., Application]
PROVIDERS = '["foundry.auth.passwords.provider.PasswordServiceProvider"]'
PASSWORD = "correct horse battery staple"


def hasher_of(make_application: MakeApplication, **env: str) -> PasswordHasher:
    application = make_application(APP_PROVIDERS=PROVIDERS, **env)
    return application.container.make(PasswordHasher)


@pytest.fixture
def hasher(make_application: MakeApplication) -> PasswordHasher:
    return hasher_of(make_application)


class Spy:
    """Wraps an argon2-cffi method to record which threads call it and how many at once."""

    def __init__(self, original: Callable[..., object]) -> None:
        self.original = original
        self.calls: list[tuple[str, object]] = []
        self.threads: set[str] = set()
        self.running = 0
        self.peak = 0
        self._lock = threading.Lock()

    def method(self) -> Callable[..., object]:
        """A function to set on the class in place of the original method."""

        def spied(owner: argon2.PasswordHasher, *args: object) -> object:
            return self(owner, *args)

        return spied

    def __call__(self, owner: argon2.PasswordHasher, *args: object) -> object:
        with self._lock:
            self.calls.append((threading.current_thread().name, args[0]))
            self.threads.add(threading.current_thread().name)
            self.running += 1
            self.peak = max(self.peak, self.running)
        try:
            return self.original(owner, *args)
        finally:
            with self._lock:
                self.running -= 1


@pytest.fixture
def hash_spy(monkeypatch: pytest.MonkeyPatch) -> Iterator[Spy]:
    spy = Spy(argon2.PasswordHasher.hash)
    monkeypatch.setattr(argon2.PasswordHasher, "hash", spy.method())
    yield spy


@pytest.fixture
def verify_spy(monkeypatch: pytest.MonkeyPatch) -> Iterator[Spy]:
    spy = Spy(argon2.PasswordHasher.verify)
    monkeypatch.setattr(argon2.PasswordHasher, "verify", spy.method())
    yield spy


async def test_hash_is_argon2id_with_owasp_parameters_and_verifies(hasher: PasswordHasher) -> None:
    hashed = await hasher.hash(PASSWORD)

    assert hashed.startswith("$argon2id$v=19$m=19456,t=2,p=1$")
    assert PASSWORD not in hashed
    assert await hasher.hash(PASSWORD) != hashed  # salted
    assert await hasher.verify(hashed, PASSWORD) is True
    assert await hasher.verify(hashed, PASSWORD + " ") is False
    assert await hasher.verify(hashed, "") is False
    assert hasher.needs_rehash(hashed) is False


@pytest.mark.parametrize(
    "hashed",
    [
        "",
        "plain text",
        "$argon2id$garbage",
        "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$",
        "$2b$garbage",
        "$2y$04$" + "x" * 53,
        "$2b$04$ñññññññññññññññññññññññññññññññññññññññññññññññññññññ",
        "$1$md5crypt$abc",
    ],
)
async def test_malformed_or_unknown_hashes_answer_false_never_raise(
    hasher: PasswordHasher, hashed: str
) -> None:
    assert await hasher.verify(hashed, PASSWORD) is False
    assert hasher.needs_rehash(hashed) is True
    assert await hasher.check(hashed, PASSWORD) == PasswordCheck(valid=False)


@pytest.mark.parametrize("prefix", ["$2a$", "$2b$", "$2y$"])
async def test_imported_bcrypt_hashes_verify_and_are_rehashed_on_check(
    hasher: PasswordHasher, prefix: str
) -> None:
    made = bcrypt.hashpw(PASSWORD.encode(), bcrypt.gensalt(rounds=4)).decode()
    imported = prefix + made[4:]

    assert await hasher.verify(imported, PASSWORD) is True
    assert await hasher.verify(imported, "wrong password") is False
    assert hasher.needs_rehash(imported) is True

    result = await hasher.check(imported, PASSWORD)
    assert result.valid and result.new_hash is not None
    assert result.new_hash.startswith("$argon2id$")
    assert await hasher.verify(result.new_hash, PASSWORD) is True
    assert hasher.needs_rehash(result.new_hash) is False
    assert await hasher.check(imported, "wrong password") == PasswordCheck(valid=False)


async def test_bcrypt_passwords_longer_than_72_bytes_verify_as_the_old_system_did(
    hasher: PasswordHasher,
) -> None:
    long_password = "é" * 50  # 100 bytes: legacy bcrypt only ever saw the first 72
    legacy = bcrypt.hashpw(long_password.encode()[:72], bcrypt.gensalt(rounds=4)).decode()

    assert await hasher.verify(legacy, long_password) is True
    assert await hasher.verify(legacy, "x" * 100) is False


async def test_argon2_hashes_with_weaker_or_other_parameters_need_rehash(
    hasher: PasswordHasher,
) -> None:
    weaker = argon2.PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1).hash(PASSWORD)
    argon2i = argon2.PasswordHasher(type=argon2.Type.I).hash(PASSWORD)

    for old in (weaker, argon2i):
        assert await hasher.verify(old, PASSWORD) is True
        assert hasher.needs_rehash(old) is True
        result = await hasher.check(old, PASSWORD)
        assert result.valid and result.new_hash is not None
        assert result.new_hash.startswith("$argon2id$v=19$m=19456,t=2,p=1$")

    current = await hasher.hash(PASSWORD)
    assert await hasher.check(current, PASSWORD) == PasswordCheck(valid=True)


async def test_parameters_come_from_config_and_old_hashes_then_need_rehash(
    make_application: MakeApplication,
) -> None:
    default = argon2.PasswordHasher(time_cost=2, memory_cost=19456, parallelism=1).hash(PASSWORD)
    stronger = hasher_of(
        make_application, PASSWORD_ARGON2_TIME_COST="3", PASSWORD_ARGON2_MEMORY_COST="20480"
    )

    assert (await stronger.hash(PASSWORD)).startswith("$argon2id$v=19$m=20480,t=3,p=1$")
    assert stronger.needs_rehash(default) is True
    assert await stronger.verify(default, PASSWORD) is True


async def test_unicode_and_lone_surrogates_hash_instead_of_failing(hasher: PasswordHasher) -> None:
    for password in ("pässwörd 密码 🔑", "broken \ud800 surrogate"):
        hashed = await hasher.hash(password)
        assert await hasher.verify(hashed, password) is True
        assert await hasher.verify(hashed, password[:-1]) is False


async def test_hashing_runs_off_the_event_loop(hasher: PasswordHasher, hash_spy: Spy) -> None:
    ticks = 0
    done = asyncio.Event()

    async def ticker() -> None:
        nonlocal ticks
        while not done.is_set():
            ticks += 1
            await asyncio.sleep(0.001)

    task = asyncio.create_task(ticker())
    await asyncio.sleep(0)
    before = ticks
    await asyncio.gather(*(hasher.hash(f"{PASSWORD} {i}") for i in range(6)))
    done.set()
    await task

    # Six argon2id hashes take tens of milliseconds; the loop kept serving the ticker meanwhile.
    assert ticks - before >= 10
    assert hash_spy.threads and all(name.startswith("password-hash") for name in hash_spy.threads)
    assert threading.main_thread().name not in hash_spy.threads


@pytest.mark.parametrize("threads", [1, 3])
async def test_the_pool_runs_at_most_the_configured_number_of_hashes_at_once(
    make_application: MakeApplication, hash_spy: Spy, verify_spy: Spy, threads: int
) -> None:
    hasher = hasher_of(make_application, PASSWORD_HASH_THREADS=str(threads))
    hashed = await hasher.hash(PASSWORD)

    results = await asyncio.gather(
        *(hasher.hash(f"{PASSWORD} {i}") for i in range(8)),
        *(hasher.verify(hashed, PASSWORD) for _ in range(4)),
    )

    assert len(results) == 12
    assert hash_spy.peak <= threads and verify_spy.peak <= threads
    assert len(hash_spy.threads | verify_spy.threads) <= threads


async def test_dummy_verify_runs_a_real_argon2_verify_with_current_parameters(
    hasher: PasswordHasher, verify_spy: Spy
) -> None:
    assert await hasher.verify_or_dummy(None, PASSWORD) is False
    assert await hasher.dummy_verify(PASSWORD) is False
    assert await hasher.check(None, PASSWORD) == PasswordCheck(valid=False)

    assert len(verify_spy.calls) == 3
    for thread, dummy in verify_spy.calls:
        assert thread.startswith("password-hash")
        assert isinstance(dummy, str) and dummy.startswith("$argon2id$v=19$m=19456,t=2,p=1$")

    real = await hasher.hash(PASSWORD)
    assert await hasher.verify_or_dummy(real, PASSWORD) is True
    assert len(verify_spy.calls) == 4


async def test_shutting_the_app_down_stops_the_pool(make_application: MakeApplication) -> None:
    application = make_application(APP_PROVIDERS=PROVIDERS)
    hasher = application.container.make(PasswordHasher)
    await hasher.hash(PASSWORD)

    await application.shutdown()

    with pytest.raises(RuntimeError):
        await hasher.hash(PASSWORD)


async def test_passwords_and_hashes_stay_out_of_logs_and_reprs(
    hasher: PasswordHasher, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    legacy = bcrypt.hashpw(PASSWORD.encode(), bcrypt.gensalt(rounds=4)).decode()

    result = await hasher.check(legacy, PASSWORD)
    await hasher.check(None, PASSWORD)
    await hasher.verify("$argon2id$garbage", PASSWORD)

    assert result.new_hash is not None
    for text in (caplog.text, repr(result), repr(hasher)):
        assert PASSWORD not in text
        assert legacy not in text and result.new_hash not in text
    assert repr(result) == "PasswordCheck(valid=True, rehashed=True)"
