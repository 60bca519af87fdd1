from __future__ import annotations

import logging
from pathlib import Path

import pytest

from foundry.config.app import AppSettings
from foundry.kernel.application import Application, MissingAppKeyError
from foundry.kernel.config import ConfigError, ConfigRepository
from foundry.kernel.container import Container
from foundry.kernel.keys import InvalidAppKeyError, generate_key, parse_key, write_key_to_env
from foundry.kernel.providers import ServiceProvider
from foundry.kernel.redis import RedisConnector
from tests.conftest import MakeApplication


class Recorder:
    def __init__(self) -> None:
        self.events: list[str] = []


class FirstProvider(ServiceProvider):
    def register(self, container: Container) -> None:
        container.singleton(Recorder)

    def boot(self, app: Application) -> None:
        app.container.make(Recorder).events.append("first booted")


class SecondProvider(ServiceProvider):
    def boot(self, app: Application) -> None:
        recorder = app.container.make(Recorder)
        recorder.events.append("second booted")
        app.on_shutdown(lambda: recorder.events.append("shut down"))


def _app(env: dict[str, str], *providers: type[ServiceProvider]) -> Application:
    return Application(
        config=ConfigRepository.with_environment(env), providers=list(providers) or None
    )


async def test_providers_register_all_then_boot_in_order() -> None:
    app = _app({}, FirstProvider, SecondProvider).bootstrap()
    recorder = app.container.make(Recorder)
    assert recorder.events == ["first booted", "second booted"]
    await app.shutdown()
    assert recorder.events[-1] == "shut down"


class LateProvider(ServiceProvider):
    def boot(self, app: Application) -> None:
        recorder = app.container.make(Recorder)
        app.booted(lambda: recorder.events.append("checked after every boot"))
        recorder.events.append("late booted")


def test_booted_callbacks_run_once_every_provider_has_booted() -> None:
    app = _app({}, FirstProvider, LateProvider, SecondProvider).bootstrap()
    recorder = app.container.make(Recorder)
    assert recorder.events == [
        "first booted",
        "late booted",
        "second booted",
        "checked after every boot",
    ]
    app.booted(lambda: recorder.events.append("at once"))
    assert recorder.events[-1] == "at once"


def test_providers_can_be_named_by_dotted_path() -> None:
    path = f"{__name__}.FirstProvider"
    app = _app({"APP_PROVIDERS": f'["{path}"]'}).bootstrap()
    assert isinstance(app.providers[0], FirstProvider)


def test_production_refuses_to_start_without_a_key() -> None:
    with pytest.raises(MissingAppKeyError, match="artisan key:generate"):
        _app({"APP_ENV": "production", "APP_KEY": ""}).bootstrap()


def test_a_malformed_key_is_refused_everywhere() -> None:
    with pytest.raises(InvalidAppKeyError, match="base64:"):
        _app({"APP_KEY": "not-a-key"}).bootstrap()


def test_local_without_a_key_warns(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="foundry.app"):
        _app({"APP_ENV": "local", "APP_KEY": ""}).bootstrap()
    assert "APP_KEY is not set" in caplog.text


def test_settings_and_shared_services_are_injectable(make_application: MakeApplication) -> None:
    app = make_application(APP_NAME="Injected")
    assert app.container.make(AppSettings).name == "Injected"
    assert app.container.make(RedisConnector) is app.container.make(RedisConnector)


def test_generated_keys_round_trip_and_are_written_to_env(tmp_path: Path) -> None:
    key = generate_key()
    assert len(parse_key(key)) == 32
    env = tmp_path / ".env"
    env.write_text("APP_NAME=X\nAPP_KEY=\nAPP_DEBUG=true\n")
    write_key_to_env(env, key)
    assert env.read_text() == f"APP_NAME=X\nAPP_KEY={key}\nAPP_DEBUG=true\n"
    other = generate_key()
    write_key_to_env(env, other)
    assert env.read_text().count("APP_KEY=") == 1 and other in env.read_text()


def test_a_bad_setting_stops_the_start_naming_its_variable(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Read at the first login otherwise: every login would answer 500.
    monkeypatch.setenv("MFA_LOGIN_TTL", "3")
    app = Application(config=ConfigRepository(), providers=[FirstProvider])
    with pytest.raises(ConfigError, match=r"MFA_LOGIN_TTL='3': Input should be greater"):
        app.bootstrap()


def test_a_bad_secret_setting_is_named_without_its_value(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DB_POOL_SIZE", "0")
    monkeypatch.setenv("PASSWORD_MIN_LENGTH", "-7")
    app = Application(config=ConfigRepository(), providers=[FirstProvider])
    with pytest.raises(ConfigError, match="DB_POOL_SIZE='0'") as raised:
        app.bootstrap()
    assert "PASSWORD_MIN_LENGTH: Input should be greater" in str(raised.value)
    assert "-7" not in str(raised.value)
