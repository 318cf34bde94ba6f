"""Contract-valid messages from registration, as notifications and content hear them."""
import uuid
from datetime import datetime, timezone

from shared.contracts import envelope
from shared.contracts.registration import ACTIVITY_OPENED, REGISTRATION_CONFIRMED

NOW = datetime(2030, 11, 1, 9, tzinfo=timezone.utc)
ACTIVITY_ID = "3f0c6d0e-5a4b-4d8e-9a61-7d1f2b3c4d5e"


def activity_opened_message() -> dict:
    payload = {"activity_id": ACTIVITY_ID, "title": "Test activity", "summary": "", "organiser": "Test Network",
               "starts_at": "2030-11-18T10:00:00+00:00", "ends_at": "2030-11-18T12:00:00+00:00",
               "attendance": "in_person", "venue": "Hall 1, Perth", "region": "Perth and Kinross", "capacity": 5}
    return envelope(ACTIVITY_OPENED, payload, "registration", message_id=str(uuid.uuid5(uuid.NAMESPACE_URL, ACTIVITY_ID)),
                    occurred_at=NOW, correlation_id="c")


def make_confirmed_message(name="Ada Example", email="ada@example.org", message_id=None) -> dict:
    payload = {"registration_id": str(uuid.uuid4()), "activity_id": ACTIVITY_ID,
               "person_id": str(uuid.uuid4()), "name": name, "email": email}
    return envelope(REGISTRATION_CONFIRMED, payload, "registration",
                    message_id=message_id or str(uuid.uuid4()), occurred_at=NOW, correlation_id="c")
