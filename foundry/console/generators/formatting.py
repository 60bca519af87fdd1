"""Formatting generated Python as the project formats its own: isort, then black at 100."""

from __future__ import annotations

from foundry.config.base import BASE_PATH

__all__ = ["format_source"]


def format_source(source: str) -> str:
    """``source`` sorted by isort (with the project's settings) and formatted by black.

    Long names can push a templated line past 100 characters; black and isort (development
    tools, like the generators) settle that. Without them the text is returned as it is.
    """
    try:
        import black
        import isort
    except ImportError:  # pragma: no cover - production installs without dev tools
        return source
    source = isort.code(source, config=isort.Config(settings_path=str(BASE_PATH)))
    return black.format_str(source, mode=black.Mode(line_length=100))
