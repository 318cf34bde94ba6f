from marshmallow import fields, validate

from shared.api import ApiSchema, Integer
from shared.api.paging import PageQuery

MAIL_STATES = ("queued", "sending", "handed_over", "sent", "retrying", "failed", "unknown", "cancelled")


class MailQuery(ApiSchema):
    status = fields.String(validate=validate.OneOf(MAIL_STATES),
                           metadata={"description": "Only mail in this state; 'sending' is mail a crash left "
                                                    "between attempt and result"})


class DeliveryLogQuery(PageQuery):
    """Any of the three, together or alone; none gives every mail. Newest first."""
    email = fields.Email(validate=validate.Length(max=254),
                         metadata={"description": "The mail of the person known by this address (any case)"})
    activity_id = fields.UUID(metadata={"description": "The booking mail and reminders about this activity"})
    status = fields.String(validate=validate.OneOf(MAIL_STATES), metadata={"description": "Only mail in this state"})


class MailOut(ApiSchema):
    mail_id = fields.String()
    template = fields.String()
    person_id = fields.String()
    status = fields.String()
    attempts = Integer()
    queued_at = fields.AwareDateTime()
    retry_at = fields.AwareDateTime(allow_none=True)
    sent_at = fields.AwareDateTime(allow_none=True)


class LoggedMailOut(MailOut):
    activity_id = fields.String(allow_none=True)
    resend_of = fields.String(allow_none=True, metadata={"description": "The mail this one sends again"})
    resent_as = fields.String(allow_none=True, metadata={"description": "The latest mail that sent this one again"})
    note = fields.String(allow_none=True, metadata={"description": "Why it was cancelled or failed"})


class MailReport(ApiSchema):
    counts = fields.Dict(keys=fields.String(), values=Integer(),
                         metadata={"description": "How many mails in each state"})
    mail = fields.List(fields.Nested(MailOut), metadata={"description": "The newest first, at most 500"})


class Resent(ApiSchema):
    mail_id = fields.String(metadata={"description": "The new mail"})
    resend_of = fields.String()


class UnresolvedOut(ApiSchema):
    mail_id = fields.String()
    template = fields.String()
    attempts = Integer()
    queued_at = fields.AwareDateTime()


class ResolveIn(ApiSchema):
    outcome = fields.String(required=True, validate=validate.OneOf(("sent", "resend")),
                            metadata={"description": "sent: it arrived; resend: it did not, send it again with "
                                                     "the same Message-ID"})


class Resolved(ApiSchema):
    mail_id = fields.String()
    outcome = fields.String()
