"""The file rules on their own: types read from contents, sizes in KB, image dimensions."""

from __future__ import annotations

import io
from typing import IO

import pytest
from PIL import Image

from foundry import validation as v
from foundry.storage import UploadedFile
from foundry.validation.files import sniff_mime_type


def upload(data: bytes, name: str = "upload.bin") -> UploadedFile:
    file: IO[bytes] = io.BytesIO(data)
    return UploadedFile(
        file, client_name=name, client_mime_type="application/octet-stream", size=len(data)
    )


def image_bytes(kind: str, width: int, height: int) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (10, 120, 200)).save(out, kind)
    return out.getvalue()


async def errors(value: object, rules: list[v.BaseRule]) -> list[str]:
    return (await v.Validator({"photo": value}, {"photo": rules}).errors()).get("photo", [])


@pytest.mark.parametrize(
    ("kind", "mime"),
    [("PNG", "image/png"), ("JPEG", "image/jpeg"), ("GIF", "image/gif"), ("WEBP", "image/webp")],
)
async def test_images_are_recognised_and_measured_by_their_contents(kind: str, mime: str) -> None:
    data = image_bytes(kind, 64, 48)
    assert sniff_mime_type(data[:4096]) == mime
    photo = upload(data, "no-extension")
    assert await errors(photo, [v.image(), v.dimensions(width=64, height=48)]) == []
    assert await errors(photo, [v.dimensions(max_width=63)]) == [
        "The photo field has invalid image dimensions."
    ]


async def test_an_image_extension_on_other_contents_is_not_an_image() -> None:
    assert await errors(upload(b"GIF? no: text", "cat.gif"), [v.image()]) == [
        "The photo field must be an image."
    ]
    assert await errors(upload(b"\x00\x01garbage", "cat.png"), [v.dimensions(max_width=10)]) == [
        "The photo field has invalid image dimensions."
    ]


async def test_max_and_min_measure_files_in_kilobytes() -> None:
    two_kb = upload(b"x" * 2048)
    assert await errors(two_kb, [v.max(2)]) == []
    assert await errors(two_kb, [v.max(1)]) == [
        "The photo field must not be greater than 1 kilobytes."
    ]
    assert await errors(two_kb, [v.min(3)]) == ["The photo field must be at least 3 kilobytes."]


async def test_file_and_mimes() -> None:
    assert await errors("a string", [v.file()]) == ["The photo field must be a file."]
    pdf = upload(b"%PDF-1.7\n", "paper.pdf")
    assert await errors(pdf, [v.file(), v.mimes("pdf")]) == []
    assert await errors(pdf, [v.mimes("jpg", "png")]) == [
        "The photo field must be a file of type: jpg, png."
    ]
    assert await errors(upload(b"a,b\n1,2\n", "data.csv"), [v.mimes("csv")]) == []
    # Text named as another text type is refused: the name is all that tells them apart.
    assert await errors(upload(b"a,b\n", "data.md"), [v.mimes("csv")]) != []


def test_an_uploaded_file_knows_its_type_and_a_safe_name() -> None:
    photo = upload(image_bytes("JPEG", 4, 4), "../../etc/passwd.exe")
    assert photo.mime_type() == "image/jpeg"
    assert photo.extension() == "jpg"
    name = photo.hash_name()
    assert name.endswith(".jpg") and "/" not in name and len(name) == 44
    assert upload(b"notes", "notes.TXT").extension() == "txt"
    assert upload(b"\x00\x01\x02", "blob").extension() == "bin"
