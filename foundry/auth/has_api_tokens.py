"""``HasApiTokens``: Passport's ``$user->createToken(...)`` for personal access tokens.

It lives with the models (not in ``app/auth``) because ``User`` inherits it and models sit below
``app/auth`` in the import order: this module imports only the model layer, ``app/support`` and
``config``. The session is the current scope's (the request's or job's), like a factory's.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from foundry.auth.models.personal_access_token import PersonalAccessToken
from foundry.database.facades import scope_session
from foundry.kernel.config import settings as config_settings
from foundry.kernel.errors import ValidationError

__all__ = ["PAT_PREFIX", "HasApiTokens", "NewAccessToken", "hash_personal_token"]

#: Personal access tokens start with this, so a guard (and a secret scanner) tells them apart.
PAT_PREFIX = "fpat_"


def hash_personal_token(token: str) -> str:
    """Tokens carry 256 random bits: a plain SHA-256 stores them safely."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class NewAccessToken:
    """The stored token and its plain text, which is shown once and never stored."""

    token: PersonalAccessToken
    plain_text_token: str = field(repr=False)


class HasApiTokens:
    """Adds :meth:`create_token` to a model with an integer ``id`` (the user)."""

    id: int

    async def create_token(
        self,
        name: str,
        scopes: Iterable[str] = (),
        expires_at: datetime | None = None,
        *,
        session: AsyncSession | None = None,
    ) -> NewAccessToken:
        """A new personal access token for this user (flushed; the caller commits).

        Raises:
            ValidationError: an empty or too long name, an unknown scope, or a past expiry.
        """
        from foundry.config.oauth2 import OAuth2Settings
        from foundry.database import utcnow

        settings = config_settings(OAuth2Settings)
        wanted = list(dict.fromkeys(scopes))
        errors: dict[str, list[str]] = {}
        if not name.strip() or len(name) > 255:
            errors["name"] = ["The name must be 1 to 255 characters."]
        unknown = [s for s in wanted if s not in settings.scopes]
        if unknown:
            errors["scopes"] = [f"Unknown scope: {s}" for s in unknown]
        if expires_at is not None and expires_at <= utcnow():
            errors["expires_at"] = ["The expiry must be in the future."]
        if errors:
            raise ValidationError(errors)
        db = scope_session(session)
        plain = PAT_PREFIX + secrets.token_urlsafe(32)
        token = PersonalAccessToken(
            user_id=self.id,
            name=name.strip(),
            token_hash=hash_personal_token(plain),
            scopes=" ".join(wanted),
            expires_at=expires_at,
        )
        db.add(token)
        await db.flush()
        return NewAccessToken(token, plain)
