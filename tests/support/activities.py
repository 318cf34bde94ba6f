"""An activity to register for, drafted and opened through registration's own commands."""
import uuid
from datetime import datetime, timedelta, timezone

from shared.actors import Actor
from shared.contracts.registration import ActivityDetails

from registration.domain.commands import DraftActivity

TEST = Actor.system("test")


def open_activity_command(capacity: int = 500, title: str = "Test activity", starts: datetime | None = None,
                          activity_id: str | None = None) -> DraftActivity:
    starts = starts or datetime.now(timezone.utc).replace(microsecond=0) + timedelta(days=30)
    details = ActivityDetails(organiser="Test Network", title=title, summary="A test.", starts_at=starts,
                              ends_at=starts + timedelta(hours=2), attendance="online", venue="", region="Online")
    return DraftActivity(actor=TEST, activity_id=activity_id or str(uuid.uuid4()), details=details,
                         capacity=capacity, open_now=True)
