"""Announcements to the people who opted in: one mail each when a Guide section is published, or a
post or case study first published, once however often the message comes, with a one-click
unsubscribe; and the suppression list, which holds back optional mail from an address that
unsubscribed, and all mail from one that failed permanently, whether the mail was queued before or
after the address went on it."""
import uuid

import pytest

from shared.actors import Actor
from shared.contracts.registration import REGISTRATION_CONFIRMED
from shared.scheduling import Scheduler

from notifications.composer import compose
from notifications.delivery import PermanentFailure
from notifications.domain.facts import failed_v1_v2
from notifications.domain.commands import Unsubscribe
from notifications.projections import mails
from notifications.unsubscribe_links import unsubscribe_links
from tests.support.consuming import deliver as deliver_only
from tests.support.mail_parts import html_of, text_of, to
from tests.support.messages import (make_article_published_message, make_consent_message, make_place_message,
                                    make_section_published_message)


class Reader:
    def __init__(self, name: str):
        self.name, self.email, self.person_id = name, f"{name.lower()}@example.org", str(uuid.uuid4())

    def consents(self, given_at="2030-11-01T08:00:00+00:00", **extra) -> dict:
        return make_consent_message(self.person_id, name=self.name, email=self.email, given_at=given_at, **extra)

    def books(self) -> dict:
        return make_place_message(REGISTRATION_CONFIRMED, str(uuid.uuid4()), self.person_id, name=self.name,
                                  email=self.email)

    def unsubscribes(self, service) -> None:
        service.handle(Unsubscribe(actor=Actor.person(), person_id=self.person_id, how="page"))


def sent(service, delivery) -> list:
    """Send what is queued, then run the jobs it made due (the suppression list's); return what went out."""
    service.mailer.send_due()
    run_jobs(service)
    out, delivery.sent[:] = list(delivery.sent), []
    return out


def run_jobs(service) -> None:
    runtime = service.runtime
    scheduler = Scheduler(runtime.engine, runtime.due_work, service.parts.jobs, runtime.clock)
    while scheduler.run_one():
        pass


def cancel_notes(service) -> list[str]:
    """Why each mail never sent was cancelled, as the delivery log shows it."""
    service.runtime.projector(service.parts).catch_up()
    with service.runtime.engine.connect() as db:
        return sorted(row.note for row in db.execute(mails.select().where(mails.c.status == "cancelled")))


def test_a_published_section_is_mailed_once_to_each_person_who_opted_in(service, delivery):
    ada, bob = Reader("Ada"), Reader("Bob")
    deliver_only(service, ada.consents(), bob.consents())
    published = make_section_published_message()
    deliver_only(service, published)
    deliver_only(service, published)  # the same message again
    deliver_only(service, make_section_published_message())  # the same revision under another id
    ada_mail, bob_mail = sorted(sent(service, delivery), key=to)
    assert to(ada_mail) == "Ada <ada@example.org>" and to(bob_mail) == "Bob <bob@example.org>"
    assert "What is co-production?" in ada_mail["Subject"]
    assert "A clearer first paragraph" in text_of(ada_mail) and "revisions/1" in html_of(ada_mail)
    deliver_only(service, make_section_published_message(revision=2))
    assert len(sent(service, delivery)) == 2  # a new revision is news again


def test_each_announcement_carries_a_one_click_unsubscribe_of_its_own_person(service, delivery):
    ada = Reader("Ada")
    deliver_only(service, ada.consents(), make_section_published_message())
    mail, = sent(service, delivery)
    link = unsubscribe_links(service.runtime.settings).url(ada.person_id)
    assert mail["List-Unsubscribe"] == f"<{link}>"
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert link in text_of(mail) and link in html_of(mail)


def test_booking_mail_carries_no_unsubscribe_header(service, deliver, delivery):
    deliver(Reader("Ada").books())
    mail, = sent(service, delivery)
    assert mail["List-Unsubscribe"] is None and mail["List-Unsubscribe-Post"] is None


def test_someone_who_unsubscribed_gets_no_announcement_but_still_their_booking_mail(service, deliver, delivery):
    ada, bob = Reader("Ada"), Reader("Bob")
    deliver_only(service, ada.consents(), bob.consents())
    ada.unsubscribes(service)
    ada.unsubscribes(service)  # twice is once
    deliver_only(service, make_section_published_message())
    assert [to(mail) for mail in sent(service, delivery)] == ["Bob <bob@example.org>"]
    deliver(ada.books())
    assert [to(mail) for mail in sent(service, delivery)] == ["Ada <ada@example.org>"]


def test_a_consent_older_than_the_unsubscribe_never_puts_the_person_back_and_a_newer_one_does(service, delivery):
    ada = Reader("Ada")
    deliver_only(service, ada.consents(given_at="2030-11-01T08:00:00+00:00"))
    ada.unsubscribes(service)  # the service's clock: 09:00
    deliver_only(service, ada.consents(given_at="2030-11-01T08:30:00+00:00"), make_section_published_message())
    assert sent(service, delivery) == []
    deliver_only(service, ada.consents(given_at="2030-11-01T10:00:00+00:00"),
                 make_section_published_message(revision=2))
    assert [to(mail) for mail in sent(service, delivery)] == ["Ada <ada@example.org>"]


def test_an_address_that_failed_permanently_gets_no_more_mail_of_any_kind(service, deliver, delivery):
    ada, bob = Reader("Ada"), Reader("Bob")
    delivery.failures = [PermanentFailure("recipient refused by the server (550)")]
    deliver(ada.books())
    assert sent(service, delivery) == []
    deliver(ada.books(), bob.books())
    deliver_only(service, ada.consents(), make_section_published_message())
    assert [to(mail) for mail in sent(service, delivery)] == ["Bob <bob@example.org>"]
    assert cancel_notes(service) == ["address suppressed: failed_permanently"] * 2  # her booking, her announcement


def test_a_passing_failure_suppresses_nothing(service, deliver, delivery):
    ada = Reader("Ada")
    delivery.failures = [ConnectionResetError("gone")]
    deliver(ada.books())
    assert sent(service, delivery) == []
    deliver(ada.books())
    assert len(sent(service, delivery)) == 1


def test_a_forgotten_person_is_mailed_nothing(service, delivery):
    ada, bob = Reader("Ada"), Reader("Bob")
    deliver_only(service, ada.consents(), bob.consents())
    with service.runtime.engine.begin() as db:
        service.runtime.vault.forget(db, ada.person_id)
    deliver_only(service, make_section_published_message())
    assert [to(mail) for mail in sent(service, delivery)] == ["Bob <bob@example.org>"]
    assert cancel_notes(service) == ["recipient forgotten"]


def test_no_unsubscribe_header_is_built_from_a_link_this_service_did_not_make():
    for hostile in ("https://example.org/unsubscribe/abc\r\nBcc: x@example.org", "javascript:alert(1)",
                    "https://example.org/unsubscribe/a>, <mailto:x@example.org", "https://example.org/other/abc"):
        with pytest.raises(ValueError):
            compose("m", "guide_section_published", {"name": "Ada", "email": "ada@example.org"},
                    {"announcement": {"title": "T", "summary": "S", "url": "https://example.org/g"},
                     "unsubscribe_url": hostile}, "week@example.org")


def test_a_failure_recorded_before_permanence_was_kept_reads_as_permanent_only_for_a_5xx_refusal():
    given_up = {"mail_id": "m", "attempt": 6, "at": "2030-11-01T09:00:00+00:00", "retry_at": None}
    assert failed_v1_v2({**given_up, "reason": "recipient refused by the server (550)"})["permanent"] is True
    assert failed_v1_v2({**given_up, "reason": "TransientFailure"})["permanent"] is False
    assert failed_v1_v2({**given_up, "reason": "ConnectionResetError"})["permanent"] is False


def test_an_unsubscribed_address_gets_no_announcement_under_another_person_id(service, delivery):
    ada, ada_again = Reader("Ada"), Reader("Ada")  # the same address, known by a second person id
    deliver_only(service, ada.consents())
    ada.unsubscribes(service)
    deliver_only(service, ada_again.consents(given_at="2030-11-01T08:30:00+00:00"), make_section_published_message())
    assert sent(service, delivery) == []
    assert cancel_notes(service) == ["address suppressed: unsubscribed"]


@pytest.mark.parametrize("kind, subject, shown", [("post", "New on our blog: Five things we learned", "Morag Example"),
                                                  ("case_study", "New case study: Five things we learned",
                                                   "Fife Housing")])
def test_a_post_or_case_study_is_mailed_once_to_each_person_who_opted_in(service, deliver, delivery, kind, subject,
                                                                         shown):
    ada, bob, cat = Reader("Ada"), Reader("Bob"), Reader("Cat")
    deliver_only(service, ada.consents(), bob.consents())
    deliver(cat.books())  # known to the service, never opted in
    assert [to(mail) for mail in sent(service, delivery)] == ["Cat <cat@example.org>"]
    published = make_article_published_message(kind)
    deliver_only(service, published, published)  # the same message twice
    deliver_only(service, make_article_published_message(kind))  # the same publication under another id
    ada_mail, bob_mail = sorted(sent(service, delivery), key=to)
    assert to(ada_mail) == "Ada <ada@example.org>" and to(bob_mail) == "Bob <bob@example.org>"
    assert ada_mail["Subject"] == subject and ada_mail["List-Unsubscribe"]
    assert "What people told us" in text_of(ada_mail) and shown in html_of(ada_mail)
    assert published["payload"]["url"] in text_of(ada_mail) and published["payload"]["url"] in html_of(ada_mail)


@pytest.mark.parametrize("kind", ["post", "case_study"])
def test_a_later_revision_of_a_post_or_case_study_is_no_announcement(service, delivery, kind):
    ada, bob = Reader("Ada"), Reader("Bob")
    deliver_only(service, ada.consents(), make_article_published_message(kind, revision=1))
    assert len(sent(service, delivery)) == 1
    deliver_only(service, bob.consents())  # on the list since: the post would be new to him, not news
    deliver_only(service, make_article_published_message(kind, revision=2, first=False, title="Five things, updated"))
    assert sent(service, delivery) == []


def test_a_post_withdrawn_and_published_again_is_announced_only_to_those_not_yet_told(service, delivery):
    ada, bob = Reader("Ada"), Reader("Bob")
    deliver_only(service, ada.consents(), make_article_published_message(revision=1))
    assert [to(mail) for mail in sent(service, delivery)] == ["Ada <ada@example.org>"]
    deliver_only(service, bob.consents(), make_article_published_message(revision=2, first=True))
    assert [to(mail) for mail in sent(service, delivery)] == ["Bob <bob@example.org>"]


def test_a_queued_announcement_is_not_sent_after_its_person_unsubscribed_but_their_booking_mail_is(
        service, deliver, delivery):
    ada, bob = Reader("Ada"), Reader("Bob")
    deliver_only(service, ada.consents(), bob.consents())
    deliver(ada.books())
    deliver_only(service, make_article_published_message())  # queued for both, while both were on the list
    ada.unsubscribes(service)
    assert sorted((to(mail), mail["Subject"]) for mail in sent(service, delivery)) == [
        ("Ada <ada@example.org>", "Your place is confirmed: Test activity"),
        ("Bob <bob@example.org>", "New on our blog: Five things we learned")]
    assert cancel_notes(service) == ["address suppressed: unsubscribed"]


def test_mail_queued_before_its_address_failed_permanently_is_not_sent(service, deliver, delivery):
    ada = Reader("Ada")
    delivery.failures = [PermanentFailure("recipient refused by the server (550)")]
    deliver(ada.books())
    service.mailer.send_due()  # refused for good: the address goes on the list when the job runs
    deliver(ada.books())  # queued before it does
    run_jobs(service)
    assert sent(service, delivery) == []
    assert cancel_notes(service) == ["address suppressed: failed_permanently"]
