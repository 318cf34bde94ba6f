"""Notifications as one service: SQLite, the in-process broker, and a delivery the test controls."""
import uuid
from contextlib import nullcontext

import pytest

from shared.settings import load

from notifications.bootstrap import bootstrap
from notifications.mailer import Mailer
from tests.support.consuming import deliver as deliver_messages
from tests.support.messages import NOW, activity_opened_message, make_confirmed_message
from tests.support.clock import Clock


class RecordingDelivery:
    """Keeps what it is asked to send; fails the way it is told to, before or after the hand-over."""
    longest_send = 60.0

    def __init__(self):
        self.sent, self.failures, self.after_hand_over = [], [], []

    def session(self):
        return nullcontext(self)

    def send(self, message, hand_over=lambda: None):
        if self.failures:
            raise self.failures.pop(0)
        hand_over()
        if self.after_hand_over:
            raise self.after_hand_over.pop(0)
        self.sent.append(message)


@pytest.fixture
def delivery():
    return RecordingDelivery()


@pytest.fixture
def clock():
    return Clock(NOW)


@pytest.fixture
def service(tmp_path, delivery, clock):
    settings = load("notifications", {"VAR_DIR": str(tmp_path), "BROKER_NAMESPACE": f"t{uuid.uuid4().hex[:8]}"})
    built = bootstrap(settings, delivery=delivery, clock=clock)
    built.mailer = Mailer(built.runtime, delivery)  # the mailer loops' work, for a test to run by hand
    yield built
    built.runtime.engine.dispose()


@pytest.fixture
def confirmed_message():
    return make_confirmed_message


@pytest.fixture
def deliver(service):
    """Hand messages to the service through its real consumer and inbox, after the message that
    tells it of their activity."""
    return lambda *messages: deliver_messages(service, activity_opened_message(), *messages)
