"""The public forms: the registration form (what a person may type, and the message beside each
mistake) and the filters of the list of activities (finding.py says how they combine).

Access needs are choices (ACCESS_NEEDS) beside a text box of the person's own words; dietary needs
have a box of their own. A carer or personal assistant takes a second place. The one consent asked
for is opt-in and unticked: booking emails need none, and the form says so."""
from marshmallow import EXCLUDE, Schema, ValidationError, fields, post_load, pre_load, validate, validates_schema

from shared.validation import ascii_email, plain_text, single_line

from shared.contracts.registration import ACCESS_PROVISIONS, ATTENDANCE
from shared.contracts.vocabulary import SECTORS

from registration.domain.needs import ACCESS_NEEDS
from registration.finding import AREAS, NO_FILTERS, Filters

TICKED = "yes"


class AccessNeedsForm(Schema):
    """The access needs, as the registration form and the manage-your-booking page both ask them."""
    class Meta:
        unknown = EXCLUDE

    needs = fields.List(fields.String(), load_default=list)
    dietary_needs = fields.String(load_default="", validate=[
        validate.Length(max=500, error="Dietary needs must be 500 characters or fewer"),
        plain_text("Your dietary needs")])
    access_needs = fields.String(load_default="", validate=[
        validate.Length(max=2000, error="Access needs must be 2,000 characters or fewer"),
        plain_text("Your access needs")])

    @pre_load
    def tidy(self, data, **_):
        tidied = {key: value.strip() for key, value in data.items() if isinstance(value, str)}
        return {**{key: value for key, value in tidied.items() if value}, "needs": data.get("needs", [])}

    @validates_schema
    def check_needs(self, data, **_):
        if any(need not in ACCESS_NEEDS for need in data.get("needs", [])):
            raise ValidationError("Choose your access needs from the list", field_name="needs")
        if "dietary" in data.get("needs", []) and not data.get("dietary_needs"):
            raise ValidationError("Tell us your dietary needs, or untick dietary needs", field_name="dietary_needs")

    @post_load
    def in_the_forms_order(self, data, **_):
        """Each need once, in the form's order; words in the dietary box are a dietary need, ticked or not."""
        chosen = set(data["needs"]) | ({"dietary"} if data["dietary_needs"] else set())
        return {**data, "needs": [need for need in ACCESS_NEEDS if need in chosen]}


class RegistrationForm(AccessNeedsForm):
    name = fields.String(required=True, validate=[
        validate.Length(max=200, error="Name must be 200 characters or fewer"),
        single_line("Name")],
        error_messages={"required": "Enter your name", "invalid": "Enter your name"})
    email = fields.Email(required=True, validate=[
        validate.Length(max=254, error="Email address must be 254 characters or fewer"),
        single_line("Email address"), ascii_email],
        error_messages={"required": "Enter your email address",
                        "invalid": "Enter an email address in the correct format, like name@example.com"})
    organisation = fields.String(load_default="", validate=[
        validate.Length(max=200, error="Organisation must be 200 characters or fewer"),
        single_line("Organisation")])
    with_carer = fields.Boolean(load_default=False, truthy={TICKED}, falsy=set())
    announcements = fields.Boolean(load_default=False, truthy={TICKED}, falsy=set())


FIELD_ORDER = ("name", "email", "organisation", "needs", "dietary_needs", "access_needs", "with_carer",
               "announcements")
LISTS = ("needs",)


def typed(form) -> dict:
    """What the person sent, as the form shows it back: each field's text, each list's choices."""
    return {key: form.getlist(key) if key in LISTS else form.get(key, "") for key in FIELD_ORDER}


def read_form(form, schema: type[Schema] = RegistrationForm) -> tuple[dict, dict]:
    """(values, errors): errors maps each wrong field to one message, in the form's order."""
    raw = {key: value for key, value in typed(form).items() if key in schema._declared_fields}
    try:
        return schema().load(raw), {}
    except ValidationError as error:
        messages = {key: _first(value) for key, value in error.messages.items()}
        return raw, {key: messages[key] for key in FIELD_ORDER if key in messages}


def _first(message) -> str:
    """One message for a field, however marshmallow nested it (a list's item, say)."""
    while isinstance(message, (list, dict)):
        message = next(iter(message.values())) if isinstance(message, dict) else message[0]
    return str(message)


# The filters of the list page, from its query string

def _choices(options, error: str):
    return fields.List(fields.String(validate=validate.OneOf(options, error=error)), load_default=list)


class FilterQuery(Schema):
    """The query string of the list page; parameters it does not know (a campaign tag) are ignored."""
    class Meta:
        unknown = EXCLUDE

    day = fields.Date(load_default=None, error_messages={"invalid": "Choose a day from the list"})
    theme = _choices(SECTORS, "Choose themes from the list")
    format = _choices(ATTENDANCE, "Choose formats from the list")
    area = fields.String(load_default="", validate=validate.OneOf(["", *AREAS], error="Choose an area from the list"))
    access = _choices(ACCESS_PROVISIONS, "Choose access provisions from the list")
    q = fields.String(load_default="", validate=[
        validate.Length(max=200, error="Search words must be 200 characters or fewer"), single_line("Search words")])


FILTER_FIELDS = ("day", "theme", "format", "area", "access", "q")
LISTED = ("theme", "format", "access")


def read_filters(args) -> tuple[Filters, dict, dict]:
    """(filters, what was asked as the form shows it back, errors by field)."""
    asked = {key: args.getlist(key) if key in LISTED else args.get(key, "").strip() for key in FILTER_FIELDS}
    try:
        loaded = FilterQuery().load({key: value for key, value in asked.items() if value})
    except ValidationError as error:
        return NO_FILTERS, asked, {key: _first(error.messages[key]) for key in FILTER_FIELDS if key in error.messages}
    return Filters(day=loaded["day"], themes=tuple(loaded["theme"]), formats=tuple(loaded["format"]),
                   area=loaded["area"], provisions=tuple(loaded["access"]), text=loaded["q"]), asked, {}
