"""Personal data, sealed with a key per person held outside the log (crypto-shredding).

Facts never hold a name, an email or access needs in the clear: they hold a person id and a
sealed value. Each person's data key lives in the `person_keys` table, itself wrapped with a key
derived from the service's data key (<SERVICE>_DATA_KEY), which is kept apart from the secret that
signs sessions so that rotating one never touches the other. Changing the data key makes every
sealed value unreadable: it changes only with a re-wrap of every person key. Forgetting a person deletes their key and their lookup row;
every sealed value of theirs, in the log or in a backup of it, then reads as nothing.
"""
import base64
import hashlib
import hmac
import json
import os
import uuid
from datetime import datetime, timezone

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from sqlalchemy import Column, Connection, DateTime, LargeBinary, MetaData, String, Table, delete, select

from shared.database import upsert

SEALED_PREFIX = "sealed:v1:"
KEYS_PER_QUERY = 500  # people whose keys one query reads: well within every driver's limit on parameters


def derive_key(secret: str, purpose: str) -> bytes:
    """A 256-bit key for one purpose, derived from the service's secret."""
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None,
                info=purpose.encode()).derive(secret.encode())


class PersonalDataVault:
    def __init__(self, metadata: MetaData, secret: str):
        self.keys = Table(
            "person_keys", metadata,
            Column("person_id", String(36), primary_key=True),
            Column("wrapped_key", LargeBinary, nullable=False),
            Column("created_at", DateTime(timezone=True), nullable=False),
        )
        self.lookup = Table(
            "person_lookup", metadata,
            Column("email_digest", String(64), primary_key=True),
            Column("person_id", String(36), nullable=False, index=True),
        )
        self._wrapping = AESGCM(derive_key(secret, "person-key-wrapping"))
        self._lookup_key = derive_key(secret, "person-lookup")

    def person_for_email(self, connection: Connection, email: str) -> str:
        """The person id this service knows the email by, created on first sight: one upsert,
        which hands back the id already there or the new one."""
        digest = self.email_digest(email)
        statement = (upsert(connection, self.lookup).values(email_digest=digest, person_id=str(uuid.uuid4()))
                     .on_conflict_do_update(index_elements=["email_digest"], set_={"email_digest": digest})
                     .returning(self.lookup.c.person_id))
        return connection.execute(statement).scalar_one()

    def email_digest(self, email: str) -> str:
        """A keyed digest of the address as written in any case: it finds a person, or an address on
        a list, without the address being kept anywhere."""
        return hmac.new(self._lookup_key, email.strip().lower().encode(), hashlib.sha256).hexdigest()

    def link_email(self, connection: Connection, person_id: str, email: str) -> None:
        """Remember that a person another service minted is known by this address (the newest
        person for an address wins); forgetting the person removes it."""
        digest = self.email_digest(email)
        statement = (upsert(connection, self.lookup).values(email_digest=digest, person_id=person_id)
                     .on_conflict_do_update(index_elements=["email_digest"], set_={"person_id": person_id}))
        connection.execute(statement)

    def person_with_email(self, connection: Connection, email: str) -> str | None:
        return connection.execute(select(self.lookup.c.person_id)
                                  .where(self.lookup.c.email_digest == self.email_digest(email))).scalar()

    def seal(self, connection: Connection, person_id: str, values: dict) -> str:
        key = self._key_made_if_missing(connection, person_id)
        nonce = os.urandom(12)
        sealed = AESGCM(key).encrypt(nonce, json.dumps(values).encode(), person_id.encode())
        return SEALED_PREFIX + base64.urlsafe_b64encode(nonce + sealed).decode()

    def unseal(self, connection: Connection, person_id: str, sealed: str) -> dict | None:
        """The values sealed for the person, or None once the person has been forgotten."""
        return self.unseal_all(connection, [(person_id, sealed)])[0]

    def unseal_all(self, connection: Connection, sealed: list[tuple[str, str]]) -> list[dict | None]:
        """Many values at once, each given as (person id, sealed value) and answered as unseal answers
        it, in the same order; every person's key is read in one query (a few, for thousands)."""
        keys = self._keys(connection, sorted({person_id for person_id, _ in sealed}))
        return [_opened(keys.get(person_id), person_id, value) for person_id, value in sealed]

    def forget(self, connection: Connection, person_id: str) -> None:
        connection.execute(delete(self.keys).where(self.keys.c.person_id == person_id))
        connection.execute(delete(self.lookup).where(self.lookup.c.person_id == person_id))

    def _keys(self, connection: Connection, person_ids: list[str]) -> dict[str, bytes]:
        """The keys of those people not forgotten, by person id."""
        found = {}
        for first in range(0, len(person_ids), KEYS_PER_QUERY):
            wanted = person_ids[first:first + KEYS_PER_QUERY]
            found.update(connection.execute(select(self.keys.c.person_id, self.keys.c.wrapped_key)
                                            .where(self.keys.c.person_id.in_(wanted))).all())
        return {person_id: self._unwrapped(person_id, wrapped) for person_id, wrapped in found.items()}

    def _unwrapped(self, person_id: str, wrapped: bytes) -> bytes:
        return self._wrapping.decrypt(wrapped[:12], wrapped[12:], person_id.encode())

    def _key_made_if_missing(self, connection: Connection, person_id: str) -> bytes:
        """The person's key: one upsert offers a new one and hands back whichever is stored."""
        nonce = os.urandom(12)
        offered = nonce + self._wrapping.encrypt(nonce, AESGCM.generate_key(bit_length=256), person_id.encode())
        statement = (upsert(connection, self.keys)
                     .values(person_id=person_id, wrapped_key=offered, created_at=datetime.now(timezone.utc))
                     .on_conflict_do_update(index_elements=["person_id"], set_={"person_id": person_id})
                     .returning(self.keys.c.wrapped_key))
        return self._unwrapped(person_id, connection.execute(statement).scalar_one())


def _opened(key: bytes | None, person_id: str, sealed: str) -> dict | None:
    if key is None:
        return None
    raw = base64.urlsafe_b64decode(sealed.removeprefix(SEALED_PREFIX))
    try:
        return json.loads(AESGCM(key).decrypt(raw[:12], raw[12:], person_id.encode()))
    except InvalidTag:
        return None  # sealed under a key since destroyed and made anew
