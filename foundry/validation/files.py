"""Rules for uploaded files: ``file``, ``image``, ``mimes``, ``dimensions`` (and ``max`` in KB).

    rules = {"avatar": [v.image(), v.max(2048), v.dimensions(min_width=100, max_width=4000)]}

A file's type is read from its first bytes, never trusted from the client's name or
``Content-Type``: a script renamed ``photo.png`` is not an image. Dimensions are read from the
image's header by Pillow, without decoding the pixels. The rules work on any :class:`FileInput`
(the storage battery's ``UploadedFile`` is one), so validation knows nothing of HTTP or disks.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from typing import IO, Final, Protocol, runtime_checkable

from foundry.validation.rule import Rule

__all__ = [
    "Dimensions",
    "File",
    "FileInput",
    "ImageFile",
    "Mimes",
    "dimensions",
    "extensions_for",
    "file",
    "image",
    "image_size",
    "mimes",
    "sniff_mime_type",
]


@runtime_checkable
class FileInput(Protocol):
    """What the file rules need from an uploaded file."""

    @property
    def size(self) -> int:
        """Bytes."""

    @property
    def client_name(self) -> str:
        """The file name the client sent (not trusted: only its extension is ever used)."""

    def head(self, length: int) -> bytes:
        """The first ``length`` bytes (fewer for a shorter file)."""

    def binary(self) -> IO[bytes]:
        """The contents as a seekable binary file, at its start."""


#: Magic numbers -> MIME type, checked in order (the first bytes of each format's files).
_SIGNATURES: Final[tuple[tuple[int, bytes, str], ...]] = (
    (0, b"\x89PNG\r\n\x1a\n", "image/png"),
    (0, b"\xff\xd8\xff", "image/jpeg"),
    (0, b"GIF87a", "image/gif"),
    (0, b"GIF89a", "image/gif"),
    (8, b"WEBP", "image/webp"),
    (0, b"BM", "image/bmp"),
    (0, b"%PDF-", "application/pdf"),
    (0, b"PK\x03\x04", "application/zip"),
    (0, b"\x1f\x8b", "application/gzip"),
)

#: Extensions (as ``mimes`` names them) of each MIME type.
_EXTENSIONS: Final[Mapping[str, tuple[str, ...]]] = {
    "image/png": ("png",),
    "image/jpeg": ("jpg", "jpeg", "jpe"),
    "image/gif": ("gif",),
    "image/webp": ("webp",),
    "image/bmp": ("bmp",),
    "application/pdf": ("pdf",),
    "application/zip": ("zip",),
    "application/gzip": ("gz", "gzip"),
    "text/plain": ("txt", "csv", "json", "md", "log"),
}

_IMAGES: Final = frozenset({"image/png", "image/jpeg", "image/gif", "image/webp", "image/bmp"})
_SNIFF_LENGTH: Final = 4096


def sniff_mime_type(head: bytes) -> str:
    """The MIME type the first bytes of a file show (``application/octet-stream`` if unknown).

    Text is UTF-8 without NUL bytes (``text/plain``); its kind (CSV, JSON) is not guessed.
    """
    for offset, magic, mime in _SIGNATURES:
        if head[offset : offset + len(magic)] == magic:
            if mime == "image/webp" and not head.startswith(b"RIFF"):
                continue
            return mime
    if b"\x00" not in head:
        try:
            # A multi-byte character cut at the end of the sample is still text.
            head.decode("utf-8") if len(head) < _SNIFF_LENGTH else head[:-3].decode("utf-8")
        except UnicodeDecodeError:
            return "application/octet-stream"
        return "text/plain"
    return "application/octet-stream"


def extensions_for(mime: str) -> tuple[str, ...]:
    """The extensions files of type ``mime`` may carry (empty for unknown types)."""
    return _EXTENSIONS.get(mime, ())


def _mime_of(value: FileInput) -> str:
    return sniff_mime_type(value.head(_SNIFF_LENGTH))


class File(Rule):
    """The value is an uploaded file."""

    key = "file"
    template = "The :attribute field must be a file."

    def passes(self, attribute: str, value: object, data: Mapping[str, object]) -> bool:
        return isinstance(value, FileInput)


class ImageFile(Rule):
    """An image, by its contents: JPEG, PNG, GIF, BMP or WebP (SVG is not, as in Laravel 11)."""

    key = "image"
    template = "The :attribute field must be an image."

    def passes(self, attribute: str, value: object, data: Mapping[str, object]) -> bool:
        return isinstance(value, FileInput) and _mime_of(value) in _IMAGES


class Mimes(Rule):
    """A file whose contents are of one of the types ``extensions`` name (``"jpg", "pdf"``).

    A text file also needs a matching extension in its name, since contents cannot tell a CSV
    from a TXT.
    """

    key = "mimes"
    template = "The :attribute field must be a file of type: :values."

    def __init__(self, extensions: tuple[str, ...]) -> None:
        self.extensions = tuple(extension.lower().lstrip(".") for extension in extensions)

    def passes(self, attribute: str, value: object, data: Mapping[str, object]) -> bool:
        if not isinstance(value, FileInput):
            return False
        mime = _mime_of(value)
        allowed = set(extensions_for(mime)) & set(self.extensions)
        if mime == "text/plain":
            # A .pdf that holds text is not a PDF: the name must be one of text's own too.
            return value.client_name.rsplit(".", 1)[-1].lower() in allowed
        return bool(allowed)

    def replacements(self, data: Mapping[str, object]) -> Mapping[str, str]:
        return {"values": ", ".join(self.extensions)}


def image_size(value: FileInput) -> tuple[int, int] | None:
    """``(width, height)`` from the image's header, or ``None`` when it is no readable image."""
    # Imported here: most requests validate no image, and Pillow takes a while to import.
    from PIL import Image, UnidentifiedImageError

    try:
        with warnings.catch_warnings():
            # Only the header is read; a huge declared size is the rule's to judge.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(value.binary()) as opened:
                width, height = opened.size
                return int(width), int(height)
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, ValueError):
        return None


class Dimensions(Rule):
    """An image whose width and height are within the given bounds (pixels)."""

    key = "dimensions"
    template = "The :attribute field has invalid image dimensions."

    def __init__(
        self,
        *,
        width: int | None = None,
        height: int | None = None,
        min_width: int | None = None,
        max_width: int | None = None,
        min_height: int | None = None,
        max_height: int | None = None,
    ) -> None:
        self.width, self.height = width, height
        self.min_width, self.max_width = min_width, max_width
        self.min_height, self.max_height = min_height, max_height

    def passes(self, attribute: str, value: object, data: Mapping[str, object]) -> bool:
        if not isinstance(value, FileInput) or _mime_of(value) not in _IMAGES:
            return False
        size = image_size(value)
        if size is None:
            return False
        width, height = size
        checks = (
            self.width is None or width == self.width,
            self.height is None or height == self.height,
            self.min_width is None or width >= self.min_width,
            self.max_width is None or width <= self.max_width,
            self.min_height is None or height >= self.min_height,
            self.max_height is None or height <= self.max_height,
        )
        return all(checks)


def file() -> File:
    """The value is an uploaded file."""
    return File()


def image() -> ImageFile:
    """The value is an image file (JPEG, PNG, GIF, BMP, WebP), judged by its contents."""
    return ImageFile()


def mimes(*extensions: str) -> Mimes:
    """The file's contents are of a type these extensions name: ``mimes("jpg", "png")``."""
    return Mimes(extensions)


def dimensions(
    *,
    width: int | None = None,
    height: int | None = None,
    min_width: int | None = None,
    max_width: int | None = None,
    min_height: int | None = None,
    max_height: int | None = None,
) -> Dimensions:
    """The image's size in pixels is within these bounds."""
    return Dimensions(
        width=width,
        height=height,
        min_width=min_width,
        max_width=max_width,
        min_height=min_height,
        max_height=max_height,
    )
