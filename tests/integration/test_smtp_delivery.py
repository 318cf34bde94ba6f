"""SMTP delivery against a real SMTP server (aiosmtpd): accepted means sent, whatever follows."""
import uuid

from notifications.composer import compose
from notifications.delivery import SmtpDelivery
from tests.conftest import free_port
from tests.support.smtp import ServerThatFailsQuit


def a_message(address):
    return compose(str(uuid.uuid4()), "registration_confirmed", {"name": "Ada", "email": address},
                   {"activity": {"title": "T", "starts_at": "2030-11-18T10:00:00+00:00",
                                 "ends_at": "2030-11-18T12:00:00+00:00", "attendance": "online",
                                 "venue": "", "region": ""}}, "Week <week@example.org>")


def test_a_failed_quit_after_the_server_accepted_counts_as_sent():
    server = ServerThatFailsQuit(free_port())
    server.start()
    try:
        SmtpDelivery(server.url).send(a_message("ada@example.org"))  # must not raise: it was accepted
    finally:
        server.stop()
    assert len(server.to("ada@example.org")) == 1


def test_a_message_is_delivered_with_its_headers(smtp_server):
    message = a_message("bob@example.org")
    SmtpDelivery(smtp_server.url).send(message)
    received, = smtp_server.to("bob@example.org")
    assert received["Message-ID"] == message["Message-ID"] and received["To"] == "Ada <bob@example.org>"
