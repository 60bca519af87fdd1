"""Re-exporting a generated class from its package's ``__init__.py``.

An application package that lists its classes (``__all__ = ["User"]`` in ``app/models``) should
list a generated one too, or ``from app.models import Post`` fails and migrations never see the
table. The import goes in with the others, the name into ``__all__``, and the file is formatted
as the project formats code, so the change is what a careful hand would have made. Packages
without an ``__all__`` list are left alone (they export nothing on purpose), except
``app/models``, whose models must always be imported there.
"""

from __future__ import annotations

import ast
from pathlib import Path

from foundry.console.generators.formatting import format_source

__all__ = ["export_class"]


def export_class(init: Path, module: str, class_name: str, *, required: bool = False) -> bool:
    """Import ``class_name`` from ``module`` in ``init`` and add it to its ``__all__``.

    Args:
        init: the package's ``__init__.py``.
        module: the dotted module the class is in (``app.models.blog_post``).
        class_name: the class (``BlogPost``).
        required: export even when ``init`` has no ``__all__`` list, with the explicit
            ``import X as X`` that marks a re-export for ``mypy --strict``.

    Returns:
        Whether ``init`` changed.
    """
    if not init.is_file():
        return False
    source = init.read_text(encoding="utf-8")
    tree = ast.parse(source)
    names = _all_node(tree)
    if names is None and not required:
        return False
    lines = source.splitlines()
    if names is None:
        line = f"from {module} import {class_name} as {class_name}"
        if line in lines:
            return False
        return _write(init, _insert_import(tree, lines, line, len(lines)))
    listed = [
        element.value
        for element in names.elts
        if isinstance(element, ast.Constant) and isinstance(element.value, str)
    ]
    line = f"from {module} import {class_name}"
    if class_name in listed and _imports(tree, module, class_name):
        return False
    start, end = names.lineno - 1, (names.end_lineno or names.lineno) - 1
    head = lines[start][: names.col_offset]
    tail = lines[end][names.end_col_offset or 0 :]
    exported = sorted({*listed, class_name})
    rendered = "[" + ", ".join(f'"{name}"' for name in exported) + "]"
    # Edit the later of the two places first, so the earlier one's line numbers still hold.
    imported = _imports(tree, module, class_name)
    if imported or _last_import_line(tree) <= start:
        lines[start : end + 1] = [head + rendered + tail]
    if not imported:
        lines = _insert_import(tree, lines, line, start)
    if not imported and _last_import_line(tree) > start:
        lines[start : end + 1] = [head + rendered + tail]
    return _write(init, lines)


def _all_node(tree: ast.Module) -> ast.List | ast.Tuple | None:
    """The literal list (or tuple) of strings assigned to ``__all__`` at the top level."""
    for node in tree.body:
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, ast.AnnAssign):
            targets = [node.target]
        else:
            continue
        if any(isinstance(target, ast.Name) and target.id == "__all__" for target in targets):
            value = node.value
            if isinstance(value, ast.List | ast.Tuple) and all(
                isinstance(element, ast.Constant) and isinstance(element.value, str)
                for element in value.elts
            ):
                return value
    return None


def _imports(tree: ast.Module, module: str, class_name: str) -> bool:
    return any(
        isinstance(node, ast.ImportFrom)
        and node.module == module
        and any(alias.name == class_name for alias in node.names)
        for node in tree.body
    )


def _last_import_line(tree: ast.Module) -> int:
    """The (1-based) last line of the last top-level import; 0 when there is none."""
    imports = [node for node in tree.body if isinstance(node, ast.Import | ast.ImportFrom)]
    return (imports[-1].end_lineno or imports[-1].lineno) if imports else 0


def _insert_import(tree: ast.Module, lines: list[str], line: str, fallback: int) -> list[str]:
    """``lines`` with ``line`` after the last top-level import (else before line ``fallback``)."""
    position = _last_import_line(tree)
    if position:
        return [*lines[:position], line, *lines[position:]]
    return [*lines[:fallback], line, "", *lines[fallback:]]


def _write(init: Path, lines: list[str]) -> bool:
    # isort puts the new import in its place among the others; black wraps a long __all__.
    init.write_text(format_source("\n".join(lines) + "\n"), encoding="utf-8")
    return True
