from marshmallow import fields, validate

from shared.api import ApiSchema, Integer

MAIL_STATES = ("queued", "sending", "handed_over", "sent", "retrying", "failed", "unknown", "cancelled")


class MailQuery(ApiSchema):
    status = fields.String(validate=validate.OneOf(MAIL_STATES),
                           metadata={"description": "Only mail in this state; 'sending' is mail a crash left "
                                                    "between attempt and result"})


class MailOut(ApiSchema):
    mail_id = fields.String()
    template = fields.String()
    person_id = fields.String()
    status = fields.String()
    attempts = Integer()
    queued_at = fields.AwareDateTime()
    retry_at = fields.AwareDateTime(allow_none=True)
    sent_at = fields.AwareDateTime(allow_none=True)


class MailReport(ApiSchema):
    counts = fields.Dict(keys=fields.String(), values=Integer(),
                         metadata={"description": "How many mails in each state"})
    mail = fields.List(fields.Nested(MailOut), metadata={"description": "The newest first, at most 500"})
