"""Read table of notifications: every mail and where it stands, for admins and `status`. The mailer
never finds its work here (a read table may lag): it uses the due-work table."""
from datetime import datetime

from sqlalchemy import Column, Connection, DateTime, Integer, MetaData, String, Table, func, insert, select, update

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
)


def _set(**values):
    def apply(db: Connection, fact: RecordedFact) -> None:
        changes = {key: (value(fact) if callable(value) else value) for key, value in values.items()}
        db.execute(update(mails).where(mails.c.mail_id == fact.data["mail_id"]).values(**changes))
    return apply


def _queued(db: Connection, fact: RecordedFact) -> None:
    db.execute(insert(mails).values(mail_id=fact.data["mail_id"], template=fact.data["template"],
                                    person_id=fact.data["person_id"], status="queued", attempts=0,
                                    queued_at=fact.recorded_at))


def _failed(db: Connection, fact: RecordedFact) -> None:
    retry_at = fact.data["retry_at"]
    _set(status="retrying" if retry_at else "failed",
         retry_at=datetime.fromisoformat(retry_at) if retry_at else None)(db, fact)


projection = Projection("mail", metadata, {
    "MailQueued": _queued,
    "MailSendAttempted": _set(status="sending", attempts=lambda f: f.data["attempt"]),
    "MailSent": _set(status="sent", sent_at=lambda f: datetime.fromisoformat(f.data["at"])),
    "MailFailed": _failed,
    "MailCancelled": _set(status="cancelled"),
    "MailHandedOver": _set(status="handed_over"),
    "MailOutcomeUnknown": _set(status="unknown"),
    "MailResendRequested": _set(status="queued", retry_at=None),
}, version=1)


def unresolved(db: Connection) -> list[dict]:
    """Mail whose outcome is unknown (handed over, no reply recorded), oldest first."""
    query = (select(mails.c.mail_id, mails.c.template, mails.c.attempts, mails.c.queued_at)
             .where(mails.c.status == "unknown").order_by(mails.c.queued_at))
    return [dict(row._mapping) for row in db.execute(query)]


def count_unresolved(db: Connection) -> int:
    return db.execute(select(func.count()).where(mails.c.status == "unknown")).scalar()


def count_by_status(db: Connection) -> dict[str, int]:
    return dict(db.execute(select(mails.c.status, func.count()).group_by(mails.c.status)).all())
