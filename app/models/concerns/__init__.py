"""Mixins that give models Laravel-style abilities (``HasApiTokens``)."""

from app.models.concerns.has_api_tokens import HasApiTokens, NewAccessToken

__all__ = ["HasApiTokens", "NewAccessToken"]
