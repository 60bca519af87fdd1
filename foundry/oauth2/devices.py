"""Device codes (RFC 8628): issue, poll (with ``slow_down``), approve or deny, spend.

The device code is stored as a hash; the user code is short (8 letters without look-alikes) and
stored as typed, normalised to upper case without the dash.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from foundry.auth.refresh_tokens import hash_token
from foundry.config.oauth2 import OAuth2Settings
from foundry.database import utcnow
from foundry.oauth2.context import DeviceRecord
from foundry.oauth2.models.oauth_client import OAuthClient
from foundry.oauth2.models.oauth_consent import OAuthDeviceCode

__all__ = ["DeviceCodes", "IssuedDeviceCode", "normalize_user_code"]

#: RFC 8628 section 6.1: no vowels (no words) and no look-alike characters.
_ALPHABET = "BCDFGHJKLMNPQRSTVWXZ"


def normalize_user_code(code: str) -> str:
    """``bcdf-ghjk`` and ``BCDFGHJK`` are the same code."""
    return "".join(c for c in code.upper() if c.isalnum())


@dataclass(frozen=True, slots=True)
class IssuedDeviceCode:
    """The device authorization response (RFC 8628 section 3.2)."""

    device_code: str = field(repr=False)
    user_code: str
    expires_in: int
    interval: int


class DeviceCodes:
    """Device-code rows in the caller's session; the caller commits."""

    def __init__(self, session: AsyncSession, settings: OAuth2Settings) -> None:
        self.session = session
        self.settings = settings

    async def issue(self, client_pk: int, scope: str) -> IssuedDeviceCode:
        """A new device code and user code for a client."""
        device_code = secrets.token_urlsafe(32)
        user_code = "".join(secrets.choice(_ALPHABET) for _ in range(8))
        self.session.add(
            OAuthDeviceCode(
                device_code_hash=hash_token(device_code),
                user_code=user_code,
                client_id=client_pk,
                scopes=scope,
                expires_at=utcnow() + timedelta(seconds=self.settings.device_code_ttl),
            )
        )
        await self.session.flush()
        pretty = f"{user_code[:4]}-{user_code[4:]}"
        return IssuedDeviceCode(
            device_code,
            pretty,
            self.settings.device_code_ttl,
            self.settings.device_poll_interval,
        )

    async def poll(self, device_code: str) -> tuple[DeviceRecord | None, bool]:
        """The device code presented and whether it polls too fast; records this poll."""
        row = await self.session.scalar(
            select(OAuthDeviceCode).where(
                OAuthDeviceCode.device_code_hash == hash_token(device_code),
                OAuthDeviceCode.used_at.is_(None),
            )
        )
        if row is None:
            return None, False
        now = utcnow()
        last = row.last_polled_at
        too_fast = last is not None and (now - last).total_seconds() < (
            self.settings.device_poll_interval
        )
        record = await self._record(row)
        await self.session.commit()  # end the read before writing (SQLite locks, see the service)
        await self.session.execute(
            update(OAuthDeviceCode)
            .where(OAuthDeviceCode.id == row.id)
            .values(last_polled_at=now)
            .execution_options(synchronize_session=False)
        )
        return record, too_fast

    async def find_pending(self, user_code: str) -> OAuthDeviceCode | None:
        """The undecided, unexpired device code a user typed."""
        return await self.session.scalar(
            select(OAuthDeviceCode).where(
                OAuthDeviceCode.user_code == normalize_user_code(user_code),
                OAuthDeviceCode.user_id.is_(None),
                OAuthDeviceCode.denied.is_(False),
                OAuthDeviceCode.used_at.is_(None),
                OAuthDeviceCode.expires_at > utcnow(),
            )
        )

    async def decide(self, row: OAuthDeviceCode, user_id: int, approve: bool) -> None:
        """Record the user's decision."""
        row.user_id = user_id
        row.denied = not approve
        await self.session.flush()

    async def spend(self, device: DeviceRecord) -> bool:
        """Mark the code exchanged; false if another poll exchanged it first."""
        result = await self.session.execute(
            update(OAuthDeviceCode)
            .where(OAuthDeviceCode.id == device.pk, OAuthDeviceCode.used_at.is_(None))
            .values(used_at=utcnow())
            .execution_options(synchronize_session=False)
        )
        return bool(getattr(result, "rowcount", 0) == 1)

    async def _record(self, row: OAuthDeviceCode) -> DeviceRecord:
        client = await self.session.get(OAuthClient, row.client_id)
        return DeviceRecord(
            pk=row.id,
            client_pk=row.client_id,
            client_id=client.client_id if client else "",
            user_code=row.user_code,
            scopes=row.scopes,
            user_id=row.user_id,
            denied=row.denied,
            expires_at=row.expires_at,
            last_polled_at=row.last_polled_at,
        )
