"""Images for the guide, posts and case studies: each stored once, by the SHA-256 of its bytes, with
its type found from the bytes themselves (never from a file name or a declared type): PNG, JPEG or
WebP only. Uploading the same bytes again finds the image already there."""
import hashlib

from shared.aggregate import Aggregate

from content.domain.facts import FACTS, MediaUploaded

EXTENSIONS = {"image/png": "png", "image/jpeg": "jpg", "image/webp": "webp"}


def sniff(data: bytes) -> str | None:
    """The image type the bytes are, by their signature, or None when they are none of ours."""
    if data.startswith(b"\x89PNG\r\n\x1a\n") and data[12:16] == b"IHDR":
        return "image/png"
    if data.startswith(b"\xff\xd8\xff") and b"\xff\xd9" in data[-1024:]:  # start and end of image markers
        return "image/jpeg"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP" and data[12:15] == b"VP8":
        return "image/webp"
    return None


def digest_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def media_stream(digest: str) -> str:
    return f"media-{digest}"


class Media(Aggregate):
    facts = FACTS

    def __init__(self, stream: str):
        super().__init__(stream)
        self.stored = False

    def upload(self, digest: str, media_type: str, size: int, alt: str) -> bool:
        """True when the image is new; the same bytes again change nothing."""
        if self.stored:
            return False
        self.record(MediaUploaded(digest=digest, media_type=media_type, size=size, alt=alt))
        return True

    def apply(self, fact) -> None:
        if isinstance(fact, MediaUploaded):
            self.stored = True
