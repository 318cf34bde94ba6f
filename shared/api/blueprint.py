"""The blueprint every API resource is made with: each request to it is authenticated, and its body's
nesting checked, before any argument is parsed (app-wide hooks such as the correlation id run first)."""
import flask_smorest

from shared.api.auth import guard
from shared.api.limits import refuse_deep_json


class Blueprint(flask_smorest.Blueprint):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.before_request(guard)
        self.before_request(refuse_deep_json)
