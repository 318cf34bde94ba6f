from marshmallow import RAISE, Schema, fields, validate

from shared.api import ApiSchema, Integer
from shared.api.paging import PageQuery
from shared.validation import plain_text, within_our_times

STATUSES = ("confirmed", "waitlisted", "cancelled")


class ExportQuery(Schema):
    """Query strings (not ApiSchema: their integers are text); unknown parameters are refused."""
    class Meta:
        unknown = RAISE

    status = fields.String(load_default="confirmed", validate=validate.OneOf(STATUSES),
                           metadata={"description": "Which list: confirmed, waitlisted (in the order people joined) "
                                                    "or cancelled"})
    as_at = fields.AwareDateTime(load_default=None, validate=within_our_times,
                                 metadata={"description": "The list as it stood at this moment, rebuilt from the log"})


class BookingsQuery(ExportQuery, PageQuery):
    pass


class HistoryQuery(PageQuery):
    as_at = fields.AwareDateTime(load_default=None, validate=within_our_times,
                                 metadata={"description": "The changes up to this moment"})


class PersonOut(ApiSchema):
    name = fields.String()
    email = fields.String()
    organisation = fields.String()
    access_needs = fields.String(metadata={"description": "In the person's own words"})
    needs = fields.List(fields.String(), metadata={"description": "Chosen from the form's list: "
                                                                  "bsl_interpreter, captions, hearing_loop, step_free, "
                                                                  "quiet_space, dietary"})
    dietary_needs = fields.String()
    with_carer = fields.Boolean()


class BookingOut(ApiSchema):
    registration_id = fields.String()
    status = fields.String()
    places = Integer()
    registered_at = fields.AwareDateTime()
    checked_in = fields.Boolean()
    cancelled_by = fields.String()
    cancellation_reason = fields.String()
    personal = fields.Nested(PersonOut, data_key="person")


class NeedOut(ApiSchema):
    need = fields.String()
    count = Integer()


class ChosenNeedOut(NeedOut):
    label = fields.String()


class AccessBriefOut(ApiSchema):
    confirmed_people = Integer()
    with_carer = Integer()
    with_access_needs = Integer(metadata={"description": "People who gave any access need, chosen or written"})
    access_needs = fields.List(fields.Nested(ChosenNeedOut),
                               metadata={"description": "Each need of the form's list, with how many chose it"})
    dietary_needs = fields.List(fields.Nested(NeedOut), metadata={"description": "As written, most asked first"})
    needs = fields.List(fields.Nested(NeedOut), metadata={"description": "Other needs as written, most asked first"})


class CancelBookingIn(ApiSchema):
    reason = fields.String(load_default="", validate=[validate.Length(max=2000), plain_text("The reason")])


class BookingChanged(ApiSchema):
    activity_id = fields.String()
    registration_id = fields.String()
    version = Integer()


class HistoryOut(ApiSchema):
    version = Integer()
    at = fields.AwareDateTime()
    change = fields.String()
    by = fields.String()
    by_role = fields.String()
    registration_id = fields.String(allow_none=True)
    details = fields.Dict()
