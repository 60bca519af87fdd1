"""Email addresses: parsed, validated with email-validator, and safe to put in a header."""

from __future__ import annotations

import re
from dataclasses import dataclass
from email.headerregistry import Address as HeaderAddress

from email_validator import EmailNotValidError, validate_email

from foundry.mail.errors import InvalidAddressError

__all__ = ["Address", "AddressLike", "parse_address"]

# "Display Name <local@domain>"; anything else must be a bare address (validated as a whole, so
# lists such as "a@x.test, b@y.test" are refused rather than cut to their first entry).
_NAMED = re.compile(r"^\s*(?P<name>[^<>]*?)\s*<(?P<email>[^<>]+)>\s*$")


@dataclass(frozen=True, slots=True)
class Address:
    """A validated mailbox: the normalized ``email`` and an optional display ``name``."""

    email: str
    name: str | None = None

    def header(self) -> HeaderAddress:
        """The address as the standard library puts it in a header (names are encoded)."""
        return HeaderAddress(display_name=self.name or "", addr_spec=self.email)

    def __str__(self) -> str:
        return str(self.header())


#: What the mail API accepts for an address: ``"a@x.test"``, ``"Ada <a@x.test>"`` or an
#: :class:`Address`.
AddressLike = str | Address


def parse_address(
    value: AddressLike, name: str | None = None, *, allow_test_domains: bool = False
) -> Address:
    """Validate ``value`` and return it as an :class:`Address`.

    Args:
        value: an address, optionally with a display name (``"Ada <a@x.test>"``).
        name: a display name that wins over one in ``value``.
        allow_test_domains: accept special-use domains such as ``.test`` (off in production).

    Raises:
        InvalidAddressError: the address is malformed, or the name holds a line break.
    """
    if isinstance(value, Address):
        raw_email, raw_name = value.email, value.name
    else:
        if any(char in value for char in "\r\n"):
            raise InvalidAddressError(
                f"{value!r} is not a valid email address: it has a line break"
            )
        named = _NAMED.match(value)
        if named is None:
            raw_name, raw_email = "", value.strip()
        else:
            raw_name, raw_email = named["name"].strip().strip('"'), named["email"].strip()
    display = name if name is not None else (raw_name or None)
    if display is not None and any(char in display for char in "\r\n"):
        raise InvalidAddressError(f"the display name {display!r} has a line break")
    try:
        validated = validate_email(
            raw_email, check_deliverability=False, test_environment=allow_test_domains
        )
    except EmailNotValidError as error:
        raise InvalidAddressError(f"{raw_email!r} is not a valid email address: {error}") from None
    return Address(validated.normalized, display)
