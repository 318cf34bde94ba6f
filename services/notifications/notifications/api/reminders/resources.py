"""An activity's reminder plan: the reminders still ahead (from the due-work table the scheduler
runs them from) and the reminder mails already queued, by state."""
from flask import current_app
from sqlalchemy import func, select

from shared.api import ADMIN, ApiSchema, Blueprint, Integer, requires
from marshmallow import fields

from notifications.projections import mails
from notifications.reminders import plan

blueprint = Blueprint("reminders", __name__, url_prefix="/api/activities",
                      description="The reminders of an activity")


class PlannedOut(ApiSchema):
    offset = fields.String(metadata={"description": "How long before the start, e.g. 24h"})
    due_at = fields.AwareDateTime()


class ReminderPlanOut(ApiSchema):
    activity_id = fields.String()
    planned = fields.List(fields.Nested(PlannedOut), metadata={"description": "Still ahead, soonest first"})
    queued = fields.Dict(keys=fields.String(), values=Integer(),
                         metadata={"description": "Reminder mails already queued, counted by state"})


@blueprint.get("/<uuid:activity_id>/reminders")
@requires(ADMIN.name)
@blueprint.response(200, ReminderPlanOut)
def reminder_plan(activity_id):
    """An activity notifications never heard of has an empty plan."""
    runtime = current_app.extensions["runtime"]
    with runtime.engine.connect() as db:
        queued = db.execute(select(mails.c.status, func.count())
                            .where(mails.c.template == "activity_reminder", mails.c.activity_id == str(activity_id))
                            .group_by(mails.c.status)).all()
        return {"activity_id": str(activity_id), "planned": plan(db, runtime, str(activity_id)),
                "queued": dict(queued)}
