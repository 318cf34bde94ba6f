"""Registration's confirmation message as notifications receives it, and queuing it as the worker would."""
import json
import uuid
from datetime import datetime, timezone

from shared.contracts import decode, envelope


def confirmed_message(email: str, name: str = "Ada Example"):
    payload = {"registration_id": str(uuid.uuid4()), "activity_id": str(uuid.uuid4()),
               "person_id": str(uuid.uuid4()), "name": name, "email": email,
               "activity": {"title": "Test activity", "starts_at": "2030-11-18T10:00:00+00:00",
                            "ends_at": "2030-11-18T12:00:00+00:00", "attendance": "online",
                            "venue": "", "region": ""}}
    return decode(json.dumps(envelope("registration.registration.confirmed", payload, "registration",
                                      message_id=str(uuid.uuid4()), occurred_at=datetime.now(timezone.utc),
                                      correlation_id="test")))


def queue_mail(service, email: str) -> None:
    message = confirmed_message(email)
    with service.runtime.engine.begin() as db:
        service.parts.handlers[message.type](db, message)
