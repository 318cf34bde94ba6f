"""Where the bytes of uploaded images live: a table of the service's own database, keyed by their
SHA-256, written in the transaction that records the upload. It is primary data, like the log (a
projection could not rebuild it), and holds nothing personal."""
import os

from sqlalchemy import Column, Connection, Integer, LargeBinary, MetaData, String, Table, select

from shared.database import upsert
from shared.settings import SettingsError

DEFAULT_MAX_BYTES = 5 * 1024 * 1024
metadata = MetaData()
blobs = Table("media_blobs", metadata,
              Column("digest", String(64), primary_key=True),
              Column("media_type", String(20), nullable=False),
              Column("size", Integer, nullable=False),
              Column("data", LargeBinary, nullable=False))


def max_bytes() -> int:
    """MEDIA_MAX_BYTES: the largest image accepted, in bytes (1 KiB to 50 MiB; 5 MiB unless set)."""
    value = os.environ.get("MEDIA_MAX_BYTES", "")
    if value == "":
        return DEFAULT_MAX_BYTES
    if not value.isdecimal() or not 1024 <= int(value) <= 50 * 1024 * 1024:
        raise SettingsError(f"MEDIA_MAX_BYTES must be a whole number of bytes from 1024 to 52428800, not {value!r}")
    return int(value)


def keep(db: Connection, digest: str, media_type: str, data: bytes) -> None:
    db.execute(upsert(db, blobs).values(digest=digest, media_type=media_type, size=len(data), data=data)
               .on_conflict_do_nothing(index_elements=["digest"]))


def find(db: Connection, digest: str) -> tuple[str, bytes] | None:
    row = db.execute(select(blobs.c.media_type, blobs.c.data).where(blobs.c.digest == digest)).first()
    return (row.media_type, row.data) if row else None
