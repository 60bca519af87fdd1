"""Form requests: strict pydantic input, ``authorize()``, and rules beyond pydantic.

    from foundry.http.requests import FormRequest, Validated

    @router.post("/articles", status_code=201)
    async def store(data: Validated[StoreArticleRequest]) -> ArticleResource: ...

See :class:`FormRequest` for the hooks and the order they run in.
"""

from foundry.http.requests.errors import format_pydantic_errors
from foundry.http.requests.form_request import FormRequest
from foundry.http.requests.validated import (
    UnsupportedMediaTypeError,
    Validated,
    validate_request,
    validator_for,
)

__all__ = [
    "FormRequest",
    "UnsupportedMediaTypeError",
    "Validated",
    "format_pydantic_errors",
    "validate_request",
    "validator_for",
]
