"""Reminders before an activity, through the shared scheduler.

Each activity has one due item per offset (by default a day and an hour before it starts), written
by rules on this service's own activity facts, in their transaction: hearing of an activity, or of a
new time, schedules them (one already past is dropped, never sent late); its cancellation drops
them. When one falls due, the job queues a reminder to everyone who holds a confirmed place at that
moment, in the transaction that removes the item (exactly once). So a booking cancelled before then
gets none, a booking made, or a person promoted, after a reminder went out gets only the ones still
ahead, and a reschedule moves them all.
"""
import os
import re
from datetime import datetime, timedelta

from sqlalchemy import Connection

from shared.actors import Actor
from shared.eventstore import RecordedFact
from shared.runtime import Runtime
from shared.scheduling import Job, Rule, cancel
from shared.settings import SettingsError

from notifications.domain.activity import KnownActivity, activity_stream
from notifications.postbox import Postbox, mail_id_for

SEND_REMINDERS = "send-reminders"
REMINDERS = Actor.system("reminders")
DEFAULT_OFFSETS = "24h,1h"
OFFSET = re.compile(r"^(\d+)([dhm])$")
UNITS = {"d": "days", "h": "hours", "m": "minutes"}


def offsets_from(value: str | None) -> list[str]:
    """REMINDER_OFFSETS, e.g. "24h,1h" or "2d,30m"; empty for no reminders ("none")."""
    value = (value if value is not None else DEFAULT_OFFSETS).strip()
    if value.lower() == "none":
        return []
    offsets = [part.strip() for part in value.split(",") if part.strip()]
    if not offsets or any(not OFFSET.match(part) or int(part[:-1]) == 0 for part in offsets):
        raise SettingsError(f"REMINDER_OFFSETS must be times before an activity separated by commas, like 24h,1h "
                            f"or 2d,30m (or none), not {value!r}")
    return list(dict.fromkeys(offsets))


def duration(offset: str) -> timedelta:
    number, unit = OFFSET.match(offset).groups()
    return timedelta(**{UNITS[unit]: int(number)})


def ahead(offset: str) -> str:
    """How a reminder names its offset: "in 24 hours", "in 1 hour"."""
    number, unit = OFFSET.match(offset).groups()
    word = {"d": "day", "h": "hour", "m": "minute"}[unit]
    return f"in {number} {word}{'' if number == '1' else 's'}"


class Reminders:
    def __init__(self, runtime: Runtime, offsets: list[str] | None = None):
        self.offsets = offsets if offsets is not None else offsets_from(os.environ.get("REMINDER_OFFSETS"))
        self.activities = runtime.repository(KnownActivity)
        self.postbox = Postbox(runtime)
        self.job = Job(SEND_REMINDERS, self.send)

    def rules(self) -> list[Rule]:
        rules = []
        for offset in self.offsets:
            key = _keyed(offset)
            rules += [Rule("ActivityHeardOf", SEND_REMINDERS, key, _before_start(duration(offset))),
                      Rule("ActivityUpdated", SEND_REMINDERS, key, _before_start(duration(offset))),
                      Rule("ActivityCancelledHeard", SEND_REMINDERS, key, cancel)]
        return rules

    def send(self, db: Connection, key: str) -> None:
        """In the transaction that removes the due item: one reminder to each confirmed place."""
        activity_id, _, offset = key.rpartition("/")
        activity = self.activities.get(db, activity_stream(activity_id))
        if activity.cancelled or activity.details is None:
            return
        starts = activity.details.starts_at.isoformat()
        for place in activity.holders():
            if place.status == "confirmed":
                self.postbox.queue(db, REMINDERS, template="activity_reminder", place=place, activity=activity,
                                   mail_id=mail_id_for(f"reminder/{offset}/{starts}", "activity_reminder",
                                                       place.registration_id),
                                   cause=f"reminder/{activity_id}/{offset}", ahead=ahead(offset))


def plan(db: Connection, runtime: Runtime, activity_id: str) -> list[dict]:
    """The reminders still ahead for an activity: each offset and when it falls due, soonest first."""
    prefix = f"{activity_id}/"
    return [{"offset": item.key.removeprefix(prefix), "due_at": item.due_at}
            for item in runtime.due_work.items(db) if item.job == SEND_REMINDERS and item.key.startswith(prefix)]


def _keyed(offset: str):
    return lambda fact: f"{fact.data['activity_id']}/{offset}"


def _before_start(before: timedelta):
    def at(fact: RecordedFact, now: datetime) -> datetime | None:
        due = datetime.fromisoformat(fact.data["details"]["starts_at"]) - before
        return due if due > now else None  # one already past is never sent late
    return at
