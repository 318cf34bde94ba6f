"""Confirmation mail: queued once per message, sent once, retried after a passing failure."""
import smtplib

from notifications.delivery import PermanentFailure
from notifications.projections import count_by_status


def statuses(service):
    service.runtime.projector(service.parts).catch_up()
    with service.runtime.engine.connect() as db:
        return count_by_status(db)


def test_a_confirmed_registration_becomes_one_email_with_the_activity_details(service, deliver, delivery,
                                                                             confirmed_message):
    deliver(confirmed_message())
    service.mailer.step()
    email, = delivery.sent
    assert email["To"] == "Ada Example <ada@example.org>"
    assert "Test activity" in email["Subject"]
    body = email.get_content()
    assert "Monday 18 November 2030, 10:00 to 12:00 (UK time)" in body and "Hall 1, Perth" in body
    assert statuses(service) == {"sent": 1}


def test_the_same_message_twice_sends_one_email(service, deliver, delivery, confirmed_message):
    message = confirmed_message()
    deliver(message)
    deliver(message)
    service.mailer.step()
    service.mailer.step()
    assert len(delivery.sent) == 1


def test_a_passing_failure_is_retried_later_and_a_permanent_one_is_not(service, deliver, delivery,
                                                                      confirmed_message):
    delivery.failures = [smtplib.SMTPServerDisconnected("gone"), PermanentFailure("550")]
    deliver(confirmed_message(email="first@example.org"))
    deliver(confirmed_message(email="second@example.org"))
    service.mailer.step()
    assert statuses(service) == {"retrying": 1, "failed": 1}
    assert delivery.sent == []


def test_a_crlf_in_a_name_never_becomes_a_header(service, deliver, delivery, confirmed_message):
    deliver(confirmed_message(name="Ada\r\nBcc: victim@example.org"))
    service.mailer.step()
    email, = delivery.sent
    assert email["Bcc"] is None and "victim" not in email["To"].split("<")[1]
    assert b"\nBcc:" not in bytes(email)


def test_the_message_id_is_the_same_for_the_same_mail(service, deliver, delivery, confirmed_message):
    deliver(confirmed_message())
    service.mailer.step()
    email, = delivery.sent
    assert email["Message-ID"].endswith("@coproduction.invalid>")
