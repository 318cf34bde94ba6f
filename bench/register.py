"""register: registrations (the command, in process) for an activity that already has 1,000,
against the first 50 of a new one: snapshots keep the first from replaying a long stream."""
import tempfile
import uuid
from datetime import datetime, timedelta, timezone

from shared.actors import Actor
from shared.contracts.registration import ActivityDetails
from shared.settings import load

from registration.bootstrap import bootstrap
from registration.domain.commands import DraftActivity, Register

from bench.common import Compared, Database, sized, timed

BENCH = Actor.system("bench")
EARLY, MEASURED = sized(1000, 200), 50


def measure() -> list:
    with Database() as db:
        service = bootstrap(load("registration", {"VAR_DIR": tempfile.mkdtemp(), "REGISTRATION_DATABASE_URL": db.url}))
        try:
            popular = new_activity(service)
            register(service, popular, EARLY, "early")()
            baseline = timed(register(service, new_activity(service), MEASURED, "fresh"))
            ours = timed(register(service, popular, MEASURED, "late"))
        finally:
            service.runtime.engine.dispose()
    return [Compared("register", "registrations/s", MEASURED / ours, MEASURED / baseline,
                     "a new activity", extra={"earlier registrations": EARLY})]


def new_activity(service, capacity: int = 100_000) -> str:
    activity_id, starts = str(uuid.uuid4()), datetime.now(timezone.utc) + timedelta(days=30)
    details = ActivityDetails(organiser="Bench", title="Bench", summary="", starts_at=starts,
                              ends_at=starts + timedelta(hours=1), attendance="online", venue="", region="Online")
    service.handle(DraftActivity(actor=BENCH, activity_id=activity_id, details=details, capacity=capacity,
                                 open_now=True))
    return activity_id


def register(service, activity_id: str, count: int, prefix: str):
    return lambda: [service.handle(Register(actor=BENCH, activity_id=activity_id, name="Bench Person",
                                            email=f"{prefix}{i}@example.org")) for i in range(count)]
