"""Dead letters of the service, for admins: look at them, and put them back on the queue once the
cause is fixed. The same two endpoints in every service that consumes messages."""
from amqp.exceptions import NotFound as QueueNotFound
from flask import abort, current_app
from kombu.exceptions import OperationalError
from marshmallow import fields

from shared import dead_letters
from shared.api.auth import requires
from shared.api.blueprint import Blueprint
from shared.api.schemas import ApiSchema, Integer
from shared.tokens import ADMIN

blueprint = Blueprint("dead-letters", __name__, url_prefix="/api/dead-letters",
                      description="Messages this service could not handle (admin)")
BROKER_DOWN = (OperationalError, OSError)  # kombu wraps some, not all, socket errors


class DeadLetterOut(ApiSchema):
    message_id = fields.String(allow_none=True)
    type = fields.String(allow_none=True)
    reason = fields.String()
    attempts = Integer()


class Replayed(ApiSchema):
    replayed = Integer(metadata={"description": "How many went back onto the service's queue"})


def _where():
    runtime = current_app.extensions["runtime"]
    return runtime.settings.amqp_url, runtime.topology, runtime.settings.service


@blueprint.get("")
@requires(ADMIN.name)
@blueprint.response(200, DeadLetterOut(many=True))
def list_dead_letters():
    try:
        return dead_letters.inspect(*_where())
    except QueueNotFound:
        return []  # no worker has declared the queues yet, so nothing can have died
    except BROKER_DOWN:
        abort(503, "The broker cannot be reached; the dead letters are still there.")


@blueprint.post("/replay")
@requires(ADMIN.name)
@blueprint.response(200, Replayed)
def replay():
    try:
        return {"replayed": dead_letters.replay(*_where())}
    except BROKER_DOWN:
        abort(503, "The broker cannot be reached; what was not replayed is still there.")
