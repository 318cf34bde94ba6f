"""Read table of notifications: every mail and where it stands, for admins and `status`. The mailer
never finds its work here (a read table may lag): it uses the due-work table."""
from datetime import datetime

from sqlalchemy import Column, Connection, DateTime, Integer, MetaData, String, Table, func, select

from shared.batch_rows import Rows
from shared.eventstore import RecordedFact
from shared.projections import Projection

metadata = MetaData()

mails = Table(
    "mail_view", metadata,
    Column("mail_id", String(36), primary_key=True),
    Column("template", String(100), nullable=False),
    Column("person_id", String(36), nullable=False, index=True),
    Column("status", String(20), nullable=False, index=True),
    Column("attempts", Integer, nullable=False),
    Column("queued_at", DateTime(timezone=True), nullable=False),
    Column("retry_at", DateTime(timezone=True)),
    Column("sent_at", DateTime(timezone=True)),
    Column("activity_id", String(36), index=True),  # the activity a booking mail or reminder is about
    Column("resend_of", String(36)),  # the mail an admin sent again as this one
    Column("resent_as", String(36)),  # the latest mail this one was sent again as
    Column("note", String(300)),  # why it was cancelled or failed
)


def _set(**values):
    def apply(rows: Rows, fact: RecordedFact) -> None:
        changes = {key: (value(fact) if callable(value) else value) for key, value in values.items()}
        rows.update(mails, fact.data["mail_id"], **changes)
    return apply


def _queued(rows: Rows, fact: RecordedFact) -> None:
    rows.insert(mails, mail_id=fact.data["mail_id"], template=fact.data["template"], person_id=fact.data["person_id"],
                status="queued", attempts=0, queued_at=fact.recorded_at,
                activity_id=fact.data["context"].get("activity_id"))


def _resent(rows: Rows, fact: RecordedFact) -> None:
    _set(resent_as=fact.data["resent_as"])(rows, fact)
    rows.update(mails, fact.data["resent_as"], resend_of=fact.data["mail_id"])


def _failed(rows: Rows, fact: RecordedFact) -> None:
    retry_at = fact.data["retry_at"]
    _set(status="retrying" if retry_at else "failed", note=fact.data["reason"],
         retry_at=datetime.fromisoformat(retry_at) if retry_at else None)(rows, fact)


projection = Projection("mail", metadata, {
    "MailQueued": _queued,
    "MailSendAttempted": _set(status="sending", attempts=lambda f: f.data["attempt"]),
    "MailSent": _set(status="sent", sent_at=lambda f: datetime.fromisoformat(f.data["at"])),
    "MailFailed": _failed,
    "MailCancelled": _set(status="cancelled", note=lambda f: f.data["reason"]),
    "MailHandedOver": _set(status="handed_over"),
    "MailOutcomeUnknown": _set(status="unknown"),
    "MailResendRequested": _set(status="queued", retry_at=None),
    "MailResent": _resent,
}, version=2)


def unresolved(db: Connection) -> list[dict]:
    """Mail whose outcome is unknown (handed over, no reply recorded), oldest first."""
    query = (select(mails.c.mail_id, mails.c.template, mails.c.attempts, mails.c.queued_at)
             .where(mails.c.status == "unknown").order_by(mails.c.queued_at))
    return [dict(row._mapping) for row in db.execute(query)]


def count_unresolved(db: Connection) -> int:
    return db.execute(select(func.count()).where(mails.c.status == "unknown")).scalar()


def count_by_status(db: Connection) -> dict[str, int]:
    return dict(db.execute(select(mails.c.status, func.count()).group_by(mails.c.status)).all())
