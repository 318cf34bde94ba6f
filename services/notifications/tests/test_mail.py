"""Confirmation mail: queued once per message, sent once, retried after a passing failure."""
import smtplib
import stat
import uuid
from datetime import datetime, timedelta, timezone
from email import message_from_bytes, policy
from email.utils import getaddresses

import pytest

from shared.contracts import ContractError, envelope
from shared.contracts.registration import REGISTRATION_RESUBMITTED
from shared.settings import SettingsError

from notifications.composer import compose

from notifications.delivery import FileDelivery, PermanentFailure
from notifications.mailer import Pace, mail_rate
from notifications.projections import count_by_status
from tests.support.messages import make_confirmed_message


NOW = datetime(2030, 11, 1, 9, tzinfo=timezone.utc)  # the service fixture's clock
ACTIVITY = {"title": "T", "starts_at": "2030-11-18T10:00:00+00:00", "ends_at": "2030-11-18T12:00:00+00:00",
            "attendance": "online", "venue": "", "region": ""}


def statuses(service):
    service.runtime.projector(service.parts).catch_up()
    with service.runtime.engine.connect() as db:
        return count_by_status(db)


def test_a_confirmed_registration_becomes_one_email_with_the_activity_details(service, deliver, delivery,
                                                                             confirmed_message):
    deliver(confirmed_message())
    service.mailer.send_due()
    email, = delivery.sent
    assert email["To"] == "Ada Example <ada@example.org>"
    assert "Test activity" in email["Subject"]
    body = email.get_body(("plain",)).get_content()
    assert "Monday 18 November 2030, 10:00 to 12:00 (UK time)" in body and "Hall 1, Perth" in body
    assert statuses(service) == {"sent": 1}


def test_the_same_message_twice_sends_one_email(service, deliver, delivery, confirmed_message):
    message = confirmed_message()
    deliver(message)
    deliver(message)
    service.mailer.send_due()
    service.mailer.send_due()
    assert len(delivery.sent) == 1


def test_a_passing_failure_is_retried_later_and_a_permanent_one_is_not(service, deliver, delivery, clock,
                                                                      confirmed_message):
    delivery.failures = [smtplib.SMTPServerDisconnected("gone"), PermanentFailure("550")]
    deliver(confirmed_message(email="first@example.org"))
    service.mailer.send_due()
    deliver(confirmed_message(email="second@example.org"))
    service.mailer.send_due()
    assert statuses(service) == {"retrying": 1, "failed": 1}
    assert delivery.sent == []
    service.mailer.send_due()
    assert delivery.sent == [], "not before its retry time"
    clock.now = NOW + timedelta(seconds=10)
    service.mailer.send_due()
    assert [email["To"] for email in delivery.sent] == ["Ada Example <first@example.org>"]
    assert statuses(service) == {"sent": 1, "failed": 1}


def test_a_crlf_in_a_name_is_refused_by_the_contract(confirmed_message):
    with pytest.raises(ContractError, match="name"):
        confirmed_message(name="Ada\r\nBcc: victim@example.org")


@pytest.mark.parametrize("name", ["Ada\r\nBcc: victim@example.org", "Ådä <victim@evil.example>,",
                                  'Eve "x" <victim@evil.example>; Bob', "Zoë (victim@evil.example)",
                                  "=?utf-8?b?dmljdGltQGV2aWwuZXhhbXBsZSwgYm9i?="])
def test_no_name_can_add_a_header_or_a_recipient(name):
    email = compose("m1", "registration_confirmed", {"name": name, "email": "ada@example.org"},
                    {"activity": ACTIVITY}, "Week <week@example.org>")
    reparsed = message_from_bytes(bytes(email), policy=policy.default)
    assert reparsed["Bcc"] is None
    assert [address for _, address in getaddresses([str(reparsed["To"])])] == ["ada@example.org"]


def test_the_message_id_is_made_from_the_mail_id_so_a_resend_is_recognisable():
    first, again = (compose("mail-1", "registration_confirmed", {"name": "Ada", "email": "a@example.org"},
                            {"activity": ACTIVITY}, "Week <week@example.org>") for _ in range(2))
    assert first["Message-ID"] == again["Message-ID"] == "<mail-1@example.org>"


def test_a_form_sent_again_is_answered_by_email_with_the_place_already_held(service, deliver, delivery):
    payload = {**make_confirmed_message()["payload"], "status": "waitlisted"}
    deliver(envelope(REGISTRATION_RESUBMITTED, payload, "registration", message_id=str(uuid.uuid4()),
                     occurred_at=NOW, correlation_id="c"))
    service.mailer.send_due()
    email, = delivery.sent
    assert email["Subject"] == "You are already on the waitlist: Test activity"
    assert "you keep your place on it" in email.get_body(("plain",)).get_content()


@pytest.mark.parametrize("unsafe", ["\r", "\n", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x85", "\u2028",
                                    "\u2029", "\x00", "\x9b", "\u202e", "\u2066", "\u2069"])
def test_a_title_with_any_line_break_or_control_composes_into_one_clean_subject(unsafe):
    activity = {**ACTIVITY, "title": f"Ceilidh{unsafe}Bcc: victim@example.org"}
    email = compose("m1", "registration_confirmed", {"name": f"Ada{unsafe}Bcc", "email": "ada@example.org"},
                    {"activity": activity}, "Week <week@example.org>")
    reparsed = message_from_bytes(bytes(email), policy=policy.default)
    assert reparsed["Bcc"] is None and unsafe not in str(reparsed["Subject"])
    assert str(reparsed["Subject"]) == "Your place is confirmed: Ceilidh Bcc: victim@example.org"


def test_eml_files_and_their_directory_are_readable_by_the_service_alone(tmp_path):
    directory = tmp_path / "mail"
    FileDelivery(directory).send(compose("m1", "registration_confirmed", {"name": "Ada", "email": "a@example.org"},
                                         {"activity": ACTIVITY}, "Week <week@example.org>"))
    assert stat.S_IMODE(directory.stat().st_mode) == 0o700
    assert stat.S_IMODE((directory / "m1.eml").stat().st_mode) == 0o600


def test_the_confirmation_carries_the_persons_own_manage_link_in_both_parts(service, deliver, delivery):
    link = "https://register.example.org/bookings/manage/signed-token"
    deliver({**make_confirmed_message(), "payload": {**make_confirmed_message()["payload"], "manage_url": link}})
    service.mailer.send_due()
    email, = delivery.sent
    text, html = (part.get_content() for part in email.walk() if part.get_content_type() in ("text/plain", "text/html"))
    assert f"Change or cancel: {link}" in text and f'<a href="{link}">Manage your booking</a>' in html


def test_a_send_rate_spaces_the_sends_and_no_rate_sends_at_once():
    now, slept = [100.0], []

    def sleep(seconds):
        slept.append(seconds)
        now[0] += seconds
    paced = Pace(4, clock=lambda: now[0], sleep=sleep)
    for _ in range(5):
        paced.wait()
    assert slept == [0.0, 0.25, 0.25, 0.25, 0.25]
    unpaced, slept[:] = Pace(0, clock=lambda: now[0], sleep=sleep), []
    for _ in range(5):
        unpaced.wait()
    assert slept == []


@pytest.mark.parametrize("value, rate", [(None, 0.0), ("", 0.0), ("0", 0.0), ("12", 12.0), ("0.5", 0.5)])
def test_mail_rate_reads_mails_a_second(value, rate):
    assert mail_rate(value) == rate


@pytest.mark.parametrize("value", ["fast", "-1", "nan", "inf"])
def test_a_mail_rate_that_is_not_a_rate_is_refused_naming_the_variable(value):
    with pytest.raises(SettingsError, match="MAIL_RATE"):
        mail_rate(value)
