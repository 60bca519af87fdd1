"""Password strength: configured rules, Laravel's messages, and the StrongPassword rule."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from foundry import validation as v
from foundry.auth.passwords import PasswordRules, StrongPassword, check_password_strength
from foundry.kernel.application import Application
from foundry.kernel.errors import ValidationError

MakeApplication = Callable[..., Application]
TOO_SHORT = "The password field must be at least 12 characters."
MIXED = "The password field must contain at least one uppercase and one lowercase letter."
NUMBERS = "The password field must contain at least one number."
SYMBOLS = "The password field must contain at least one symbol."
COMMON = "The given password is too common. Please choose a different password."
STRICT = PasswordRules(min_length=8, mixed_case=True, numbers=True, symbols=True)


def test_default_policy_is_twelve_characters_and_not_a_common_password() -> None:
    assert check_password_strength("short") == [TOO_SHORT]
    assert check_password_strength("a" * 11) == [TOO_SHORT]
    assert check_password_strength("a" * 12) == [COMMON]
    assert check_password_strength("plum tide orbit") == []
    assert check_password_strength("🔑🌙🐢🍋🎲" * 3) == []  # characters, not bytes


@pytest.mark.parametrize(
    "password",
    [
        "aaaaaaaaaaaa",
        "abababababab",
        "password1234",
        "Password123!",
        "P@ssw0rd!2024",
        "iloveyou2024",
        "passwordpassword",
        "123456789012",
        "0987654321ab",
        "qwertyuiopas",
        "1q2w3e4r5t6y",
        "zxcvbnm12345",
        "abcdefghijkl",
        "Football!!!!",
    ],
)
def test_common_passwords_and_their_patterns_are_refused(password: str) -> None:
    assert check_password_strength(password) == [COMMON]


@pytest.mark.parametrize(
    "password",
    ["correct horse battery staple", "Tr0ub4dor&3xyz", "new-password-123", "Zq8#mLp2vX9r"],
)
def test_uncommon_passwords_pass(password: str) -> None:
    assert check_password_strength(password) == []


def test_the_common_check_can_be_turned_off(make_application: MakeApplication) -> None:
    make_application(PASSWORD_REJECT_COMMON="false")
    assert check_password_strength("a" * 12) == []


def test_policy_comes_from_config(make_application: MakeApplication) -> None:
    make_application(
        PASSWORD_MIN_LENGTH="8",
        PASSWORD_REQUIRE_MIXED_CASE="true",
        PASSWORD_REQUIRE_NUMBERS="true",
        PASSWORD_REQUIRE_SYMBOLS="true",
    )

    assert PasswordRules.current() == STRICT
    assert check_password_strength("abc") == [
        "The password field must be at least 8 characters.",
        MIXED,
        NUMBERS,
        SYMBOLS,
    ]
    assert check_password_strength("Plum&Tide7") == []


@pytest.mark.parametrize(
    ("password", "missing"),
    [
        ("abcdefg1!", [MIXED]),
        ("ABCDEFG1!", [MIXED]),
        ("Abcdefgh!", [NUMBERS]),
        ("Abcdefgh1", [SYMBOLS]),
        ("Écoleété٣ ", []),  # Unicode letters and digits count; a space is a symbol
        ("Passwort-2024", []),
    ],
)
def test_character_classes(password: str, missing: list[str]) -> None:
    assert STRICT.check(password) == missing


def test_a_password_equal_to_the_email_or_name_is_refused() -> None:
    rules = PasswordRules(min_length=4)
    email = "The password field and email must be different."
    name = "The password field and name must be different."

    assert rules.check("Ada@Example.com", email="ada@example.com") == [email]
    assert rules.check("ada.lovelace", email="ada.lovelace@example.com") == [email]
    assert rules.check("Ada Lovelace", name="ada lovelace ") == [name]
    assert rules.check("something else", email="ada@example.com", name="Ada") == []
    assert rules.check("anything", email="", name="") == []


def test_messages_never_contain_the_password() -> None:
    secret = "Sup3r$ecret"
    for message in STRICT.check(secret, email=secret, name=secret) + check_password_strength(
        secret
    ):
        assert secret not in message
    assert STRICT.check("pw", attribute="new_password")[0].startswith("The new_password field")


async def test_strong_password_rule_through_the_validator() -> None:
    rules = {"password": [StrongPassword()]}

    assert await v.Validator({"password": "long enough password"}, rules).errors() == {}
    assert await v.Validator({"password": "short"}, rules).errors() == {"password": [TOO_SHORT]}
    assert await v.Validator({"password": 123456789012}, rules).errors() == {
        "password": ["The password field must be a string."]
    }
    # Not implicit: an absent optional password is not checked (add a required rule for that).
    assert await v.Validator({}, rules).errors() == {}


async def test_strong_password_rule_compares_with_the_email_and_name_of_the_input() -> None:
    data = {"email": "grace.hopper@example.com", "name": "Grace", "password": "Grace.Hopper"}
    identity = "The password field must be different from your email and name."

    assert await v.Validator(data, {"password": [StrongPassword()]}).errors() == {
        "password": [identity]
    }
    ignoring = StrongPassword(email_field=None, name_field=None)
    assert await v.Validator(data, {"password": [ignoring]}).errors() == {}
    other = {"login": "Grace.Hopper", "password": "Grace.Hopper"}
    assert await v.Validator(other, {"password": [StrongPassword(email_field="login")]}).errors()


async def test_strong_password_rule_uses_given_or_configured_rules_and_custom_messages(
    make_application: MakeApplication,
) -> None:
    make_application(PASSWORD_MIN_LENGTH="16", PASSWORD_REQUIRE_NUMBERS="true")
    data = {"password": "twelve chars"}

    assert await v.Validator(data, {"password": [StrongPassword()]}).errors() == {
        "password": ["The password field must be at least 16 characters."]
    }
    assert await v.Validator(
        {"password": "sixteen characters"}, {"password": [StrongPassword()]}
    ).errors() == {"password": [NUMBERS]}
    assert await v.Validator(data, {"password": [StrongPassword(STRICT)]}).errors() == {
        "password": [MIXED]  # the first unmet requirement
    }
    custom = v.Messages({"password.password": "Pick a stronger :attribute."})
    with pytest.raises(ValidationError) as raised:
        await v.Validator(data, {"password": [StrongPassword()]}, custom).validate()
    assert raised.value.errors == {"password": ["Pick a stronger password."]}
