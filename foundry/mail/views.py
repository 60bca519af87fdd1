"""The Jinja2 environment that renders mail templates: the app's ``resources/views`` first, then
the framework's own (``foundry/resources/views``: the mail layout, password reset, verification).

HTML templates (``*.html.j2``) are autoescaped, so a user's name cannot inject markup; text
templates (``*.txt.j2``) are not, since escaping would garble them. Undefined variables raise
instead of rendering as empty strings, so a typo in a template fails the send, not the reader.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import jinja2

from foundry.config.paths import FRAMEWORK_VIEWS_PATH
from foundry.mail.errors import MailTemplateError

__all__ = ["MailViews"]


class MailViews:
    """Loads and renders mail templates; one per mail manager, templates cached after first use."""

    def __init__(self, path: Path, globals: Mapping[str, Any] | None = None) -> None:
        """Create the environment.

        Args:
            path: the template root (``resources/views``); names are relative to it
                (``emails/welcome.html.j2``).
            globals: values every template sees (``app_name``, ``app_url``).
        """
        self.path = path
        self.environment = jinja2.Environment(
            loader=jinja2.FileSystemLoader([path, FRAMEWORK_VIEWS_PATH]),
            autoescape=jinja2.select_autoescape(
                enabled_extensions=("html.j2", "html"),
                disabled_extensions=("txt.j2", "txt"),
                default_for_string=True,
                default=True,
            ),
            undefined=jinja2.StrictUndefined,
            keep_trailing_newline=True,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self.environment.globals.update(globals or {})

    def render(self, template: str, context: Mapping[str, Any]) -> str:
        """Render ``template`` with ``context``.

        Raises:
            MailTemplateError: the template is missing, malformed, or uses an undefined name.
        """
        try:
            return self.environment.get_template(template).render(context)
        except jinja2.TemplateNotFound as error:
            raise MailTemplateError(
                f"mail template {error.name!r} not found under {str(self.path)!r} "
                "nor among the framework's templates"
            ) from error
        except jinja2.TemplateError as error:
            raise MailTemplateError(f"mail template {template!r} failed: {error}") from error
