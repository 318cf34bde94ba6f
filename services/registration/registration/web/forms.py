"""The public registration form: what a person may type, and the message beside each mistake."""
from marshmallow import EXCLUDE, Schema, ValidationError, fields, pre_load, validate

from shared.validation import ascii_email, plain_text, single_line


class RegistrationForm(Schema):
    class Meta:
        unknown = EXCLUDE

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
    access_needs = fields.String(load_default="", validate=[
        validate.Length(max=2000, error="Access needs must be 2,000 characters or fewer"),
        plain_text("Your access needs")])

    @pre_load
    def tidy(self, data, **_):
        tidied = {key: value.strip() for key, value in data.items() if isinstance(value, str)}
        return {key: value for key, value in tidied.items() if value}


FIELD_ORDER = ("name", "email", "organisation", "access_needs")


def read_form(form) -> tuple[dict, dict]:
    """(values, errors): errors maps each wrong field to one message, in the form's order."""
    raw = {key: form.get(key, "") for key in FIELD_ORDER}
    try:
        return RegistrationForm().load(raw), {}
    except ValidationError as error:
        messages = {key: (value[0] if isinstance(value, list) else str(value))
                    for key, value in error.messages.items()}
        return raw, {key: messages[key] for key in FIELD_ORDER if key in messages}
