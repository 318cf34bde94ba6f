import re

from marshmallow import ValidationError, fields, validate

from shared.api import ApiSchema
from shared.validation import single_line

ORGANISATION_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,99}")  # fits a token's organisation, and a path


def an_organisation_id(value: str) -> None:
    if not ORGANISATION_ID.fullmatch(value):
        raise ValidationError("Letters, digits, '.', '_' and '-', up to 100, starting with a letter or digit")


class OrganisationIn(ApiSchema):
    organisation_id = fields.String(load_default=None, validate=an_organisation_id, metadata={
        "description": "Chosen by the caller (e.g. 'highland-housing-voices'); a new UUID if left out"})
    name = fields.String(required=True, validate=[validate.Length(min=1, max=200), single_line()])


class OrganisationOut(ApiSchema):
    organisation_id = fields.String()
    name = fields.String()
    created_at = fields.AwareDateTime()


class OrganiserTokenIn(ApiSchema):
    name = fields.String(required=True, validate=[validate.Length(min=1, max=100), single_line()],
                         metadata={"description": "Who holds it, e.g. 'Highland Housing Voices: Morag'"})
