"""What every API schema is built on: integers are strict, so 10.5, "10" and 1000.0 are refused
naming the field, rather than quietly taken as 10 or 1000."""
from functools import partial

from marshmallow import Schema, fields

Integer = partial(fields.Integer, strict=True)


class ApiSchema(Schema):
    """Base of every API schema. A schema with an Integer that is not strict refuses to be made, and
    flask-smorest makes its schemas at import, so the mistake cannot reach a running service."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        lax = [name for name, field in self.declared_fields.items()
               if isinstance(field, fields.Integer) and not field.strict]
        if lax:
            raise TypeError(f"{type(self).__name__}: use shared.api.schemas.Integer (strict) for {', '.join(lax)}")
