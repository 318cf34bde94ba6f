"""Notifications as one service: SQLite, the in-process broker, and a delivery the test controls."""
import json
import uuid
from datetime import datetime, timezone

import pytest

from shared.contracts import decode, envelope
from shared.settings import load

from notifications.bootstrap import bootstrap

NOW = datetime(2030, 11, 1, 9, tzinfo=timezone.utc)


class RecordingDelivery:
    """Keeps what it is asked to send; fails the way it is told to, before or after the hand-over."""
    longest_send = 60.0

    def __init__(self):
        self.sent, self.failures, self.after_hand_over = [], [], []

    def send(self, message, hand_over=lambda: None):
        if self.failures:
            raise self.failures.pop(0)
        hand_over()
        if self.after_hand_over:
            raise self.after_hand_over.pop(0)
        self.sent.append(message)


class Clock:
    """The service's clock, moved by the test."""

    def __init__(self):
        self.now = NOW

    def __call__(self):
        return self.now


@pytest.fixture
def delivery():
    return RecordingDelivery()


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def service(tmp_path, delivery, clock):
    built = bootstrap(load("notifications", {"VAR_DIR": str(tmp_path)}), delivery=delivery, clock=clock)
    yield built
    built.runtime.engine.dispose()


@pytest.fixture
def confirmed_message():
    return make_confirmed_message


def make_confirmed_message(name="Ada Example", email="ada@example.org", message_id=None):
    payload = {"registration_id": str(uuid.uuid4()), "activity_id": str(uuid.uuid4()),
               "person_id": str(uuid.uuid4()), "name": name, "email": email,
               "activity": {"title": "Test activity", "starts_at": "2030-11-18T10:00:00+00:00",
                            "ends_at": "2030-11-18T12:00:00+00:00", "attendance": "in_person",
                            "venue": "Hall 1, Perth", "region": "Perth and Kinross"}}
    return decode(json.dumps(envelope(
        "registration.registration.confirmed", payload, "registration",
        message_id=message_id or str(uuid.uuid4()), occurred_at=NOW, correlation_id="c")))


@pytest.fixture
def deliver(service):
    """Hand a message to the service as its worker would: in one transaction, through the inbox."""
    def handle(message):
        with service.runtime.engine.begin() as db:
            if not service.runtime.inbox.seen(db, message.id):
                service.parts.handlers[message.type](db, message)
                service.runtime.inbox.record(db, message.id)
        service.runtime.projector(service.parts).catch_up()
    return handle
