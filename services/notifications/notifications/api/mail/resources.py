"""Where every mail stands: counts by state, and the mails in one state (no personal data: the
recipient is a person id; their name and address stay sealed)."""
from flask import current_app
from marshmallow import RAISE
from sqlalchemy import select

from shared.api import ADMIN, Blueprint, requires
from shared.eventstore import as_utc

from notifications.api.mail.schemas import MailQuery, MailReport
from notifications.projections import count_by_status, mails

blueprint = Blueprint("mail", __name__, url_prefix="/api/mail", description="Outgoing mail and where it stands")
SHOWN = 500
TIMES = ("queued_at", "retry_at", "sent_at")


@blueprint.get("")
@requires(ADMIN.name)
@blueprint.arguments(MailQuery, location="query", unknown=RAISE)  # a mistyped filter is not ignored
@blueprint.response(200, MailReport)
def by_state(query):
    with current_app.extensions["runtime"].engine.connect() as db:
        return {"counts": count_by_status(db), "mail": _mail(db, query.get("status"))}


def _mail(db, status: str | None) -> list[dict]:
    chosen = select(mails).order_by(mails.c.queued_at.desc(), mails.c.mail_id).limit(SHOWN)
    if status:
        chosen = chosen.where(mails.c.status == status)
    return [{**row._mapping, **{t: row._mapping[t] and as_utc(row._mapping[t]) for t in TIMES}}
            for row in db.execute(chosen)]
