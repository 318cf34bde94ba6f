"""Images uploaded with their alt text: stored once by the SHA-256 of their bytes, the type found
from the bytes (a PNG named .jpg is a PNG; a script named .png is refused), refused past the limit,
served with the type found and never sniffed again."""
import hashlib
import io
import struct
import zlib

import pytest

from shared.settings import DEVELOPMENT_SECRET

ADMIN = {"Authorization": f"Bearer {DEVELOPMENT_SECRET}"}


def png(width=1, height=1) -> bytes:
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    rows = b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x00" * 32 + b"\xff\xd9"
WEBP = b"RIFF" + struct.pack("<I", 26) + b"WEBPVP8 " + struct.pack("<I", 14) + b"\x00" * 14


def upload(client, data: bytes, name="picture.png", alt="A red dot", headers=ADMIN):
    form = {"file": (io.BytesIO(data), name)}
    if alt is not None:
        form["alt"] = alt
    return client.post("/api/media", data=form, headers=headers, content_type="multipart/form-data")


@pytest.mark.parametrize("data, media_type, extension", [(png(), "image/png", "png"), (JPEG, "image/jpeg", "jpg"),
                                                         (WEBP, "image/webp", "webp")])
def test_an_image_is_stored_by_its_hash_and_served_with_the_type_of_its_bytes(client, catch_up, data, media_type,
                                                                               extension):
    stored = upload(client, data, name="named-wrongly.gif")
    digest = hashlib.sha256(data).hexdigest()
    assert stored.status_code == 201 and stored.json["digest"] == digest and stored.json["media_type"] == media_type
    assert stored.json["url"].endswith(f"/media/{digest}.{extension}")
    served = client.get(f"/media/{digest}.{extension}")
    assert served.status_code == 200 and served.data == data and served.mimetype == media_type
    assert served.headers["X-Content-Type-Options"] == "nosniff"
    assert client.get(f"/media/{digest}.gif").status_code == 404
    again = upload(client, data, alt="The same image again")
    assert again.status_code == 200 and again.json["digest"] == digest
    catch_up()
    assert [(m["digest"], m["alt"]) for m in client.get("/api/media", headers=ADMIN).json] == [(digest, "A red dot")]


@pytest.mark.parametrize("data, name", [
    (b"<script>alert(1)</script>", "picture.png"),
    (b"GIF89a" + b"\x00" * 20, "picture.gif"),
    (b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>", "picture.svg"),
    (b"\x89PNG\r\n\x1a\n", "truncated.png"),
    (b"", "empty.png"),
])
def test_anything_but_a_png_jpeg_or_webp_is_refused_naming_the_file(client, data, name):
    refused = upload(client, data, name=name)
    assert refused.status_code == 422 and refused.json["message"].startswith("file:")


def test_an_image_past_the_limit_is_refused(client, monkeypatch):
    monkeypatch.setenv("MEDIA_MAX_BYTES", "2048")
    refused = upload(client, png() + b"\x00" * 3000)
    assert refused.status_code == 413 and "file" in refused.json["message"]
    assert upload(client, png() + b"\x00" * 100_000).status_code == 413  # past the limit of the request itself


def test_alt_text_is_required_and_one_line(client):
    for alt, status in [(None, 422), ("", 422), ("Two\nlines", 422)]:
        refused = upload(client, png(), alt=alt)
        assert refused.status_code == status and "alt" in refused.json["errors"]["form"]
    missing = client.post("/api/media", data={"alt": "x"}, headers=ADMIN, content_type="multipart/form-data")
    assert missing.status_code == 422 and "file" in missing.json["errors"]["files"]


def test_only_writers_upload(client):
    assert upload(client, png(), headers={}).status_code == 401
