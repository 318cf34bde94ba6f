"""The messages registration publishes, and the activity's details: one value object shared by
registration's command and fact and by the messages content and notifications read.

Every message about a person carries `person_id`: the one id by which every service knows that
person. Registration mints it when a person first registers; the other services key what they keep
about the person by it, so that a request to forget or unsubscribe reaches them everywhere.
"""
from dataclasses import MISSING, asdict, dataclass, fields as dataclass_fields
from datetime import datetime

from marshmallow import fields, validate

from shared.contracts.envelope import Lenient, line, message_type
from shared.validation import ascii_email, plain_text, single_line

ATTENDANCE = ("online", "in_person", "hybrid")
ACCESS_PROVISIONS = {
    "bsl_interpreter": "BSL interpreter",
    "live_captions": "Live captions",
    "hearing_loop": "Hearing loop",
    "step_free": "Step-free access",
    "quiet_space": "Quiet space",
}
COUNCIL_AREAS = {  # Scotland's 32 council areas, by a key that never changes
    "aberdeen_city": "Aberdeen City", "aberdeenshire": "Aberdeenshire", "angus": "Angus",
    "argyll_and_bute": "Argyll and Bute", "clackmannanshire": "Clackmannanshire",
    "dumfries_and_galloway": "Dumfries and Galloway", "dundee_city": "Dundee City", "east_ayrshire": "East Ayrshire",
    "east_dunbartonshire": "East Dunbartonshire", "east_lothian": "East Lothian",
    "east_renfrewshire": "East Renfrewshire", "city_of_edinburgh": "City of Edinburgh",
    "na_h_eileanan_siar": "Na h-Eileanan Siar", "falkirk": "Falkirk", "fife": "Fife", "glasgow_city": "Glasgow City",
    "highland": "Highland", "inverclyde": "Inverclyde", "midlothian": "Midlothian", "moray": "Moray",
    "north_ayrshire": "North Ayrshire", "north_lanarkshire": "North Lanarkshire", "orkney_islands": "Orkney Islands",
    "perth_and_kinross": "Perth and Kinross", "renfrewshire": "Renfrewshire", "scottish_borders": "Scottish Borders",
    "shetland_islands": "Shetland Islands", "south_ayrshire": "South Ayrshire",
    "south_lanarkshire": "South Lanarkshire", "stirling": "Stirling", "west_dunbartonshire": "West Dunbartonshire",
    "west_lothian": "West Lothian",
}


@dataclass(frozen=True)
class ActivityDetails:
    """What an activity is, when and where: as organisers write it and people read it."""
    organiser: str
    title: str
    summary: str
    starts_at: datetime  # aware, UTC
    ends_at: datetime
    attendance: str  # online | in_person | hybrid
    venue: str
    region: str  # as the organiser words it ("Across Scotland", "Inverness and the Black Isle")
    # Added later, so optional: what it is about (themes: keys of shared.contracts.vocabulary.SECTORS),
    # the council area it is in (COUNCIL_AREAS;
    # "" for an online one), and the access provisions it offers (ACCESS_PROVISIONS).
    themes: tuple[str, ...] = ()
    area: str = ""
    access_provisions: tuple[str, ...] = ()

    def __post_init__(self):
        """Lists in one order, so that two details that say the same are equal however they were given."""
        for name in ("themes", "access_provisions"):
            object.__setattr__(self, name, tuple(sorted(set(getattr(self, name) or ()))))

    def as_payload(self) -> dict:
        """As messages carry it: the same fields, times in ISO 8601."""
        return {**asdict(self), "starts_at": self.starts_at.isoformat(), "ends_at": self.ends_at.isoformat()}

    @classmethod
    def from_payload(cls, payload: dict) -> "ActivityDetails":
        """From a message payload that a contract schema has loaded (times already aware datetimes);
        a detail the producer did not send takes its default (text: empty)."""
        return cls(**{field.name: payload.get(field.name, "" if field.default is MISSING else field.default)
                      for field in dataclass_fields(cls)})


class ActivityDetailsSchema(Lenient):
    organiser = line(200, required=True)
    title = line(200, required=True)
    summary = fields.String(load_default="", validate=[validate.Length(max=2000), plain_text()])
    starts_at = fields.AwareDateTime(required=True)
    ends_at = fields.AwareDateTime(required=True)
    attendance = fields.String(required=True, validate=validate.OneOf(ATTENDANCE))
    venue = line(300, load_default="")
    region = line(100, load_default="")
    # Optional, added without a new version: a consumer that does not know them ignores them.
    themes = fields.List(line(60), load_default=list, validate=validate.Length(max=20))
    area = line(60, load_default="")
    access_provisions = fields.List(line(60), load_default=list, validate=validate.Length(max=20))


class ActivityOpenedSchema(ActivityDetailsSchema):
    activity_id = fields.UUID(required=True)
    capacity = fields.Integer(required=True, validate=validate.Range(min=1))


class RegistrationRecordedSchema(Lenient):
    """A person's place. The activity's details travel in the activity's own messages; each
    consumer keeps what it needs of them."""
    registration_id = fields.UUID(required=True)
    activity_id = fields.UUID(required=True)
    person_id = fields.UUID(required=True)
    name = fields.String(required=True, validate=[validate.Length(min=1, max=200), single_line()])
    email = fields.Email(required=True, validate=[validate.Length(max=254), ascii_email])
    # Optional (added without a new version): the signed link with which the person manages their
    # booking; on confirmed, waitlisted, promoted and resubmitted. A consumer that does not know it ignores it.
    manage_url = fields.Url(schemes={"http", "https"}, require_tld=False, load_default=None, allow_none=True,
                            validate=validate.Length(max=2000))


class RegistrationResubmittedSchema(RegistrationRecordedSchema):
    """The form sent again by someone who holds a place: the answer goes to them by email."""
    status = fields.String(required=True, validate=validate.OneOf(("confirmed", "waitlisted")))


class ActivityChangedSchema(ActivityDetailsSchema):
    activity_id = fields.UUID(required=True)
    changed = fields.List(fields.String(validate=validate.OneOf(ActivityDetails.__dataclass_fields__)),
                          required=True)


class ActivityRescheduledSchema(Lenient):
    activity_id = fields.UUID(required=True)
    starts_at = fields.AwareDateTime(required=True)
    ends_at = fields.AwareDateTime(required=True)


class ActivityOnlySchema(Lenient):
    activity_id = fields.UUID(required=True)


class ActivityCancelledSchema(ActivityOnlySchema):
    reason = fields.String(load_default="", validate=[validate.Length(max=2000), plain_text()])


class RegistrationCancelledSchema(RegistrationRecordedSchema):
    was = fields.String(required=True, validate=validate.OneOf(("confirmed", "waitlisted")))
    by = fields.String(required=True, validate=validate.OneOf(("person", "organiser", "activity_cancelled")))
    reason = fields.String(load_default="", validate=[validate.Length(max=2000), plain_text()])


class RegistrationCheckedInSchema(Lenient):
    registration_id = fields.UUID(required=True)
    activity_id = fields.UUID(required=True)
    person_id = fields.UUID(required=True)


class AnnouncementsConsentedSchema(Lenient):
    """A person ticked "tell me about future weeks and the Guide" on a form: the opt-in to
    announcements, with the words they agreed to and when. Notifications keeps the list of people
    who opted in and owns unsubscribing (its one-click link); registration records only the consent."""
    person_id = fields.UUID(required=True)
    registration_id = fields.UUID(required=True)
    name = fields.String(required=True, validate=[validate.Length(min=1, max=200), single_line()])
    email = fields.Email(required=True, validate=[validate.Length(max=254), ascii_email])
    wording = fields.String(required=True, validate=[validate.Length(min=1, max=1000), plain_text()])
    given_at = fields.AwareDateTime(required=True)


ACTIVITY_OPENED = message_type("registration.activity.opened", 1, ActivityOpenedSchema)
REGISTRATION_CONFIRMED = message_type("registration.registration.confirmed", 1, RegistrationRecordedSchema)
REGISTRATION_WAITLISTED = message_type("registration.registration.waitlisted", 1, RegistrationRecordedSchema)
REGISTRATION_RESUBMITTED = message_type("registration.registration.resubmitted", 1, RegistrationResubmittedSchema)
ACTIVITY_CHANGED = message_type("registration.activity.changed", 1, ActivityChangedSchema)
ACTIVITY_RESCHEDULED = message_type("registration.activity.rescheduled", 1, ActivityRescheduledSchema)
ACTIVITY_REGISTRATION_CLOSED = message_type("registration.activity.registration_closed", 1, ActivityOnlySchema)
ACTIVITY_REGISTRATION_REOPENED = message_type("registration.activity.registration_reopened", 1, ActivityOnlySchema)
ACTIVITY_CANCELLED = message_type("registration.activity.cancelled", 1, ActivityCancelledSchema)
REGISTRATION_PROMOTED = message_type("registration.registration.promoted", 1, RegistrationRecordedSchema)
REGISTRATION_CANCELLED = message_type("registration.registration.cancelled", 1, RegistrationCancelledSchema)
REGISTRATION_CHECKED_IN = message_type("registration.registration.checked_in", 1, RegistrationCheckedInSchema)
ACCESS_NEEDS_CHANGED = message_type("registration.registration.access_needs_changed", 1, RegistrationRecordedSchema)
ANNOUNCEMENTS_CONSENTED = message_type("registration.person.announcements_consented", 1, AnnouncementsConsentedSchema)
