"""Attachments: bytes with a file name and a MIME type, from memory or from a path."""

from __future__ import annotations

import mimetypes
from dataclasses import dataclass, field
from pathlib import Path

from foundry.mail.errors import MailError

__all__ = ["Attachment"]

_DEFAULT_TYPE = "application/octet-stream"


@dataclass(frozen=True, slots=True)
class Attachment:
    """One attached file. ``content`` is kept out of ``repr`` so it never reaches a log line."""

    filename: str
    content: bytes = field(repr=False)
    mime_type: str = _DEFAULT_TYPE

    def __post_init__(self) -> None:
        if not self.filename or any(char in self.filename for char in "\r\n/\\"):
            raise MailError(f"attachment name {self.filename!r} must be a plain file name")
        maintype, _, subtype = self.mime_type.partition("/")
        if not maintype or not subtype or "/" in subtype:
            raise MailError(
                f"attachment MIME type {self.mime_type!r} must look like 'type/subtype'"
            )

    @property
    def maintype(self) -> str:
        """The part of the MIME type before the slash (``application``)."""
        return self.mime_type.partition("/")[0]

    @property
    def subtype(self) -> str:
        """The part of the MIME type after the slash (``pdf``)."""
        return self.mime_type.partition("/")[2]

    @property
    def size(self) -> int:
        """The content's length in bytes."""
        return len(self.content)

    @classmethod
    def from_data(cls, content: bytes, filename: str, mime_type: str | None = None) -> Attachment:
        """An attachment of ``content``; the MIME type is guessed from ``filename`` if not given."""
        return cls(filename, content, mime_type or _guess(filename))

    @classmethod
    def from_path(
        cls, path: str | Path, filename: str | None = None, mime_type: str | None = None
    ) -> Attachment:
        """Read ``path`` now; the name defaults to the file's, the MIME type is guessed from it.

        Raises:
            MailError: the file cannot be read.
        """
        path = Path(path)
        try:
            content = path.read_bytes()
        except OSError as error:
            raise MailError(f"cannot attach {str(path)!r}: {error.strerror}") from error
        name = filename or path.name
        return cls(name, content, mime_type or _guess(name))


def _guess(filename: str) -> str:
    guessed, _ = mimetypes.guess_type(filename, strict=False)
    return guessed or _DEFAULT_TYPE
