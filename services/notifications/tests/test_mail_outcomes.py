"""Where the mailer finds its work, when it retries, and what a crash at each moment leaves:
before the hand-over the mail is sent again (same Message-ID); after it, a person decides."""
import json
import smtplib
from datetime import timedelta

import pytest
from sqlalchemy.exc import OperationalError

from shared.actors import Actor
from shared.cli import main

from notifications.__main__ import COMMANDS
from notifications.bootstrap import bootstrap
from notifications.delivery import OutcomeUnknown
from notifications.domain.mail import RETRY_AFTER, Mail, mail_stream
from notifications.projections import count_by_status
from tests.support.consuming import handle_directly
from tests.support.messages import activity_opened_message


class Killed(BaseException):
    """The process dies here: nothing after this line of the mailer runs."""


def queue(service, message):
    """Hand the message (after its activity's) straight to its handlers: no consumer, no projector."""
    handle_directly(service, activity_opened_message(), message)


def statuses(service):
    service.runtime.projector(service.parts).catch_up()
    with service.runtime.engine.connect() as db:
        return count_by_status(db)


def lease_runs_out(service, clock):
    clock.now += max(service.mailer.job.lease, service.mailer.reply_lease)


def test_the_mailer_finds_queued_mail_without_the_projector(service, delivery, confirmed_message):
    queue(service, confirmed_message())  # no projector run: mail_view is empty
    assert service.mailer.send_due() == 1 and len(delivery.sent) == 1


def test_retries_start_after_seconds_then_back_off_and_give_up(service, delivery, clock, confirmed_message):
    delivery.failures = [smtplib.SMTPServerDisconnected("gone") for _ in range(6)]
    queue(service, confirmed_message())
    service.mailer.send_due()
    for wait in RETRY_AFTER:
        clock.now += wait - timedelta(seconds=1)
        assert service.mailer.send_due() == 0, f"not before {wait}"
        clock.now += timedelta(seconds=1)
        assert service.mailer.send_due() == 1
    assert [wait.total_seconds() for wait in RETRY_AFTER] == [10, 60, 300, 1800, 7200]
    assert statuses(service) == {"failed": 1}
    clock.now += timedelta(days=1)
    assert service.mailer.send_due() == 0 and delivery.sent == []


def test_a_mailer_killed_before_the_hand_over_sends_again_with_the_same_message_id(service, delivery, clock,
                                                                                   confirmed_message):
    delivery.failures = [Killed()]
    queue(service, confirmed_message())
    with pytest.raises(Killed):
        service.mailer.send_due()
    assert service.mailer.send_due() == 0, "its lease holds it"
    lease_runs_out(service, clock)
    assert service.mailer.send_due() == 1
    assert statuses(service) == {"sent": 1} and len(delivery.sent) == 1


def test_a_mailer_killed_after_the_hand_over_leaves_the_mail_for_a_person(service, delivery, clock, tmp_path,
                                                                          monkeypatch, capsys, confirmed_message):
    delivery.after_hand_over = [Killed()]
    queue(service, confirmed_message())
    with pytest.raises(Killed):
        service.mailer.send_due()
    lease_runs_out(service, clock)
    service.mailer.send_due()
    clock.now += timedelta(days=1)
    assert service.mailer.send_due() == 0 and delivery.sent == [], "never sent again unattended"
    assert statuses(service) == {"unknown": 1}
    assert service.runtime.health()["needs_attention"] == {"unresolved_mail": 1}
    monkeypatch.setenv("VAR_DIR", str(tmp_path))
    assert main(bootstrap, argv=["status"]) == 1
    assert json.loads(capsys.readouterr().out)["needs_attention"] == {"unresolved_mail": 1}


def test_a_timeout_after_the_hand_over_is_unknown_never_failed(service, delivery, confirmed_message):
    delivery.after_hand_over = [OutcomeUnknown("no reply to the end of the data (TimeoutError)")]
    queue(service, confirmed_message())
    service.mailer.send_due()
    assert statuses(service) == {"unknown": 1}


def test_a_person_resends_an_unknown_mail_with_the_same_message_id(service, delivery, tmp_path, monkeypatch,
                                                                   capsys, confirmed_message):
    delivery.after_hand_over = [OutcomeUnknown("no reply")]
    queue(service, confirmed_message())
    service.mailer.send_due()
    statuses(service)
    assert COMMANDS["unresolved-mail"](service, []) == 1
    mail_id = capsys.readouterr().out.split()[0]
    assert COMMANDS["resolve-mail"](service, [mail_id, "--resend"]) == 0
    assert service.mailer.send_due() == 1
    assert delivery.sent[0]["Message-ID"].startswith(f"<{mail_id}@")
    assert statuses(service) == {"sent": 1} and COMMANDS["unresolved-mail"](service, []) == 0
    assert COMMANDS["resolve-mail"](service, [mail_id, "--sent"]) == 1, "only an unknown mail"
    assert "not unknown" in capsys.readouterr().err


def test_a_person_marks_an_unknown_mail_sent(service, delivery, confirmed_message):
    delivery.after_hand_over = [OutcomeUnknown("no reply")]
    queue(service, confirmed_message())
    service.mailer.send_due()
    statuses(service)
    mail_id = _only_mail_id(service)
    assert COMMANDS["resolve-mail"](service, [mail_id, "--sent"]) == 0
    assert service.mailer.send_due() == 0 and statuses(service) == {"sent": 1}


def test_the_result_is_recorded_through_a_short_database_outage(service, delivery, confirmed_message,
                                                                monkeypatch):
    queue(service, confirmed_message())
    engine, outage = service.runtime.engine, {"left": 3}
    begin = engine.begin

    def failing_begin():
        if delivery.sent and outage["left"]:  # after the server accepted: the database is away
            outage["left"] -= 1
            raise OperationalError("begin", {}, ConnectionError("server closed the connection"))
        return begin()

    monkeypatch.setattr(engine, "begin", failing_begin)
    service.mailer.send_due()
    monkeypatch.setattr(engine, "begin", begin)
    assert outage["left"] == 0 and statuses(service) == {"sent": 1}


def _only_mail_id(service):
    from notifications.projections import mails
    with service.runtime.engine.connect() as db:
        return db.execute(mails.select()).first().mail_id


def test_a_mail_that_cannot_be_made_is_retried_and_keeps_what_the_mail_before_it_achieved(
        service, delivery, confirmed_message, monkeypatch):
    from notifications import mailer
    made = mailer.compose

    def compose(mail_id, template, recipient, *rest):
        if recipient["email"] == "broken@example.org":
            raise ValueError("a template that cannot be rendered")
        return made(mail_id, template, recipient, *rest)
    monkeypatch.setattr(mailer, "compose", compose)
    queue(service, confirmed_message(email="fine@example.org"))
    queue(service, confirmed_message(email="broken@example.org"))
    service.mailer.send_due()
    assert statuses(service) == {"sent": 1, "retrying": 1}, "the first one's result is recorded, not left unknown"
    assert len(delivery.sent) == 1


def test_a_result_is_recorded_even_when_the_mail_changed_between_its_hand_over_and_its_result(
        service, delivery, clock, confirmed_message, monkeypatch):
    """The mailer records a result on the copy of the mail its hand-over left; when someone else
    wrote to the mail meanwhile (here another mailer that found its lease run out), the append
    refuses the stale copy and the result is recorded on the mail as the log has it."""
    queue(service, confirmed_message())
    send, other = delivery.send, service.runtime.repository(Mail)

    def send_while_another_mailer_writes(message, hand_over=lambda: None):
        send(message, hand_over)
        mail_id = message["Message-ID"].strip("<>").partition("@")[0]
        other.execute(mail_stream(mail_id), lambda mail, _db: mail.mark_outcome_unknown(clock.now, "lease ran out"),
                      Actor.system("another mailer"))
    monkeypatch.setattr(delivery, "send", send_while_another_mailer_writes)
    service.mailer.send_due()
    assert statuses(service) == {"sent": 1}


def test_a_mail_failing_again_in_a_later_batch_holds_back_no_mail_after_it(service, delivery, clock,
                                                                            confirmed_message):
    """A result is applied to the mailer's own copy of the mail only when that copy is the one its
    claim worked on: a copy left from an earlier batch would be refused, and with it the hand-over
    of the mail after it."""
    delivery.failures = [smtplib.SMTPServerDisconnected("gone")]
    queue(service, confirmed_message(email="retried@example.org"))
    service.mailer.send_due()
    clock.now += RETRY_AFTER[0] + timedelta(seconds=1)
    delivery.failures = [smtplib.SMTPServerDisconnected("gone again")]
    queue(service, confirmed_message(email="after@example.org"))
    service.mailer.send_due()
    assert [mail["To"].addresses[0].addr_spec for mail in delivery.sent] == ["after@example.org"]
    assert statuses(service) == {"sent": 1, "retrying": 1}
