"""A contract-valid message for each fact, for tests that exercise the relay on its own."""
import uuid
from datetime import datetime, timedelta, timezone

from shared.contracts import envelope, message_id


def activity_opened_payload(label: str) -> dict:
    start = datetime(2030, 11, 18, 10, tzinfo=timezone.utc)
    return {"activity_id": str(uuid.uuid5(uuid.NAMESPACE_URL, label)), "title": label, "summary": "",
            "organiser": "Test organiser", "starts_at": start.isoformat(),
            "ends_at": (start + timedelta(hours=2)).isoformat(), "attendance": "online",
            "venue": "", "region": "Online", "capacity": 10}


def every_fact_as_activity_opened(_db, fact) -> list[dict]:
    return [envelope("registration.activity.opened", activity_opened_payload(fact.data["label"]),
                     "registration", message_id=message_id("registration", fact.stream_id, fact.version),
                     occurred_at=fact.recorded_at, correlation_id="test")]
