"""API tokens: named, shown once when issued, stored only as a hash, revocable, last use recorded.

A token is `cpw_<id>_<secret>`, the secret 32 random bytes. Only the SHA-256 of the whole token is
stored. A fast hash is enough here because the secret is random: 256 bits cannot be guessed from a
leaked hash, however fast each guess is (slow hashes such as bcrypt or argon2 exist for passwords,
which people choose and which are few enough to try one by one), and it keeps each request's check
cheap. The id inside the token finds the row; the hashes are then compared in constant time, so the
comparison's timing says nothing about how much of a guessed token was right.
"""
import hashlib
import hmac
import re
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Column, Connection, DateTime, MetaData, String, Table, insert, or_, select, update

from shared.eventstore import as_utc

PREFIX = "cpw"
SECRET_BYTES = 32
LAST_USE_EVERY = timedelta(minutes=1)  # at most one write per token per minute, however busy it is
TOKEN_FORMAT = re.compile(rf"{PREFIX}_([0-9a-f]{{32}})_[A-Za-z0-9_-]{{43}}")


@dataclass(frozen=True)
class Role:
    """What a token may be issued for; an organiser's token also names its organisation."""
    name: str
    description: str
    needs_organisation: bool = False


ADMIN = Role("admin", "network staff: everything, in every service")


@dataclass(frozen=True)
class TokenRecord:
    id: str
    name: str
    role: str
    organisation: str
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


def new_token() -> tuple[str, str]:
    """A fresh (id, token); the token is shown once and never stored."""
    token_id = uuid.uuid4()
    return str(token_id), f"{PREFIX}_{token_id.hex}_{secrets.token_urlsafe(SECRET_BYTES)}"


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def same_token(supplied: str, stored_digest: str) -> bool:
    """Constant time: compares fixed-length digests, whatever the supplied token's length."""
    return hmac.compare_digest(digest(supplied), stored_digest)


def id_of(token: str) -> str | None:
    found = TOKEN_FORMAT.fullmatch(token)
    return str(uuid.UUID(found.group(1))) if found else None


class Tokens:
    def __init__(self, metadata: MetaData):
        self.table = Table("api_tokens", metadata,
                           Column("id", String(36), primary_key=True),
                           Column("name", String(100), nullable=False),
                           Column("role", String(30), nullable=False),
                           Column("organisation", String(100), nullable=False),
                           Column("digest", String(64), nullable=False),
                           Column("created_at", DateTime(timezone=True), nullable=False),
                           Column("last_used_at", DateTime(timezone=True)),
                           Column("revoked_at", DateTime(timezone=True)))

    def issue(self, db: Connection, name: str, role: str, organisation: str, now: datetime) -> tuple[TokenRecord, str]:
        token_id, token = new_token()
        db.execute(insert(self.table).values(id=token_id, name=name, role=role, organisation=organisation,
                                             digest=digest(token), created_at=now))
        return TokenRecord(token_id, name, role, organisation, now, None, None), token

    def all(self, db: Connection) -> list[TokenRecord]:
        rows = db.execute(select(self.table).order_by(self.table.c.created_at, self.table.c.id))
        return [_record(row) for row in rows]

    def revoke(self, db: Connection, token_id: str, now: datetime) -> bool:
        """False when there is no such token; revoking twice keeps the first time."""
        table = self.table
        if db.execute(select(table.c.id).where(table.c.id == token_id)).first() is None:
            return False
        db.execute(update(table).where(table.c.id == token_id, table.c.revoked_at.is_(None)).values(revoked_at=now))
        return True

    def resolve(self, db: Connection, token: str, now: datetime) -> TokenRecord | None:
        """The live token this is, with its last use recorded (at most once a minute); else None."""
        token_id = id_of(token)
        row = token_id and db.execute(select(self.table).where(self.table.c.id == token_id)).first()
        if not row or not same_token(token, row.digest) or row.revoked_at is not None:
            return None
        if row.last_used_at is None or as_utc(row.last_used_at) <= now - LAST_USE_EVERY:
            self._record_use(db, token_id, now)
        return _record(row)

    def _record_use(self, db: Connection, token_id: str, now: datetime) -> None:
        """Conditional, so that requests racing past the check above still write once."""
        table = self.table
        db.execute(update(table).where(table.c.id == token_id, or_(table.c.last_used_at.is_(None),
                                                                   table.c.last_used_at <= now - LAST_USE_EVERY))
                   .values(last_used_at=now))


def _record(row) -> TokenRecord:
    def utc(value):
        return as_utc(value) if value is not None else None
    return TokenRecord(row.id, row.name, row.role, row.organisation, utc(row.created_at), utc(row.last_used_at),
                       utc(row.revoked_at))


def role_problems(roles: dict[str, Role], role: str, organisation: str) -> dict[str, str]:
    """Why a token cannot be issued with this role and organisation, by field (empty when it can)."""
    if role not in roles:
        return {"role": f"Must be one of: {', '.join(roles)}."}
    if roles[role].needs_organisation and not organisation:
        return {"organisation": f"A token with the role {role} needs the organisation it acts for."}
    if organisation and not roles[role].needs_organisation:
        return {"organisation": f"A token with the role {role} acts for no organisation; leave it out."}
    return {}
