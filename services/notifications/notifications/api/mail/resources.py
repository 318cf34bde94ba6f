"""Where every mail stands: counts by state, the delivery log (by recipient, activity or state),
sending one again, and the mails whose outcome is unknown with the way to resolve them (the same
query and command as the `unresolved-mail` and `resolve-mail` commands). No personal data: the
recipient is a person id; their name and address stay sealed."""
from flask import current_app
from marshmallow import RAISE
from sqlalchemy import func, select

from shared.api import ADMIN, Blueprint, current_actor, requires
from shared.api.paging import PAGED, first_item, page_of
from shared.eventstore import as_utc

from notifications.api.mail.schemas import (DeliveryLogQuery, LoggedMailOut, MailQuery, MailReport, Resent, Resolved,
                                            ResolveIn, UnresolvedOut)
from notifications.domain.commands import ResendMail, ResolveMail
from notifications.projections import count_by_status, mails, unresolved

blueprint = Blueprint("mail", __name__, url_prefix="/api/mail", description="Outgoing mail and where it stands")
SHOWN = 500
TIMES = ("queued_at", "retry_at", "sent_at")


def _service():
    return current_app.extensions["notifications"]


@blueprint.get("")
@requires(ADMIN.name)
@blueprint.arguments(MailQuery, location="query", unknown=RAISE)  # a mistyped filter is not ignored
@blueprint.response(200, MailReport)
def by_state(query):
    with current_app.extensions["runtime"].engine.connect() as db:
        chosen = select(mails).order_by(mails.c.queued_at.desc(), mails.c.mail_id).limit(SHOWN)
        if query.get("status"):
            chosen = chosen.where(mails.c.status == query["status"])
        return {"counts": count_by_status(db), "mail": _rows(db, chosen)}


@blueprint.get("/log")
@requires(ADMIN.name)
@blueprint.arguments(DeliveryLogQuery, location="query", unknown=None)
@blueprint.response(200, LoggedMailOut(many=True), **PAGED)
def delivery_log(query):
    """The delivery log, newest first: a person's mail (by their address), an activity's, or one state's."""
    runtime = current_app.extensions["runtime"]
    with runtime.engine.connect() as db:
        where = _filters(db, runtime.vault, query)
        if where is None:
            return page_of([], 0, query)
        total = db.execute(select(func.count()).select_from(mails).where(*where)).scalar()
        chosen = (select(mails).where(*where).order_by(mails.c.queued_at.desc(), mails.c.mail_id)
                  .offset(first_item(query)).limit(query["page_size"]))
        return page_of(_rows(db, chosen), total, query)


def _filters(db, vault, query: dict) -> list | None:
    """The conditions the query asks for; None when it names an address nobody is known by."""
    where = []
    if "email" in query:
        person_id = vault.person_with_email(db, query["email"])
        if person_id is None:
            return None
        where.append(mails.c.person_id == person_id)
    if "activity_id" in query:
        where.append(mails.c.activity_id == str(query["activity_id"]))
    if "status" in query:
        where.append(mails.c.status == query["status"])
    return where


def _rows(db, chosen) -> list[dict]:
    return [{**row._mapping, **{t: row._mapping[t] and as_utc(row._mapping[t]) for t in TIMES}}
            for row in db.execute(chosen)]


@blueprint.post("/<uuid:mail_id>/resend")
@requires(ADMIN.name)
@blueprint.response(201, Resent)
def resend(mail_id):
    """A sent, failed or cancelled mail sent again as a new mail, linked to the first (409 for a mail
    still on its way; one whose outcome is unknown is resolved instead). The suppression list still
    applies: the new mail to a suppressed address is recorded as cancelled."""
    new_id = _service().handle(ResendMail(actor=current_actor(), mail_id=str(mail_id)))
    return {"mail_id": new_id, "resend_of": str(mail_id)}


@blueprint.get("/unresolved")
@requires(ADMIN.name)
@blueprint.response(200, UnresolvedOut(many=True))
def list_unresolved():
    """Mail handed to the server with no reply recorded, oldest first: each waits for a person."""
    with current_app.extensions["runtime"].engine.connect() as db:
        return [{**mail, "queued_at": as_utc(mail["queued_at"])} for mail in unresolved(db)]


@blueprint.post("/<uuid:mail_id>/resolve")
@requires(ADMIN.name)
@blueprint.arguments(ResolveIn)
@blueprint.response(200, Resolved)
def resolve(answer, mail_id):
    """Say what became of a mail whose outcome is unknown (409 for any other)."""
    _service().handle(ResolveMail(actor=current_actor(), mail_id=str(mail_id), arrived=answer["outcome"] == "sent"))
    return {"mail_id": str(mail_id), "outcome": answer["outcome"]}
