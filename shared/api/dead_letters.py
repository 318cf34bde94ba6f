"""Dead letters of the service, for admins: look at them, and put them back on the queue once the
cause is fixed. The same two endpoints in every service that consumes messages."""
from amqp.exceptions import ChannelError
from flask import abort, current_app
from kombu.exceptions import OperationalError
from marshmallow import RAISE, fields

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


class ReplayIn(ApiSchema):
    include_undecodable = fields.Boolean(load_default=False, metadata={
        "description": "Replay messages that cannot be decoded too (they come straight back)"})


class Replayed(ApiSchema):
    replayed = Integer(metadata={"description": "How many went back onto the service's queue"})
    left = Integer(metadata={"description": "Undecodable ones left where they are"})


def _where():
    runtime = current_app.extensions["runtime"]
    return runtime.settings.amqp_url, runtime.topology, runtime.settings.service


@blueprint.get("")
@requires(ADMIN.name)
@blueprint.response(200, DeadLetterOut(many=True))
def list_dead_letters():
    try:
        return dead_letters.inspect(*_where())
    except ChannelError as error:
        _unless_queue_missing(error)
        return []  # no worker has declared the queues yet, so nothing can have died
    except BROKER_DOWN:
        abort(503, "The broker cannot be reached; the dead letters are still there.")


@blueprint.post("/replay")
@requires(ADMIN.name)
@blueprint.arguments(ReplayIn, location="query", unknown=RAISE)  # a mistyped option is not ignored
@blueprint.response(200, Replayed)
def replay(options):
    """Only the dead letters there when the replay starts, so a running worker cannot make it endless."""
    try:
        replayed, left = dead_letters.replay(*_where(), include_undecodable=options["include_undecodable"])
        return {"replayed": replayed, "left": left}
    except ChannelError as error:
        _unless_queue_missing(error)
        return {"replayed": 0, "left": 0}
    except BROKER_DOWN:
        abort(503, "The broker cannot be reached; what was not replayed is still there.")


def _unless_queue_missing(error: ChannelError) -> None:
    """A queue not declared yet (404, on RabbitMQ and the in-process broker alike) holds nothing."""
    if str(getattr(error, "reply_code", "")) != "404":  # the in-process broker gives it as text
        raise error
