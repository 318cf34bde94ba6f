"""A hostile name, title or venue (markup, line breaks, encoded words) is inert in every part of a
mail, in its headers and in its calendar entry."""
from email import message_from_bytes, policy

import pytest

from notifications.announcements import ANNOUNCEMENT_TEMPLATES
from notifications.composer import compose
from tests.support.mail_parts import event_of, html_of, text_of

MARKUP = '<script>alert(1)</script><a href="https://evil.example">x</a>'
ENCODED = "=?utf-8?b?dmljdGltQGV2aWwuZXhhbXBsZSwgYm9i?="
BREAK = "Ceilidh\r\nATTENDEE:mailto:victim@evil.example\r\nBEGIN:VEVENT\r\nBcc: victim@evil.example"
ENTRY = {"method": "REQUEST", "uid": "booking-1@coproduction-week.scot", "sequence": 0,
         "stamp": "2030-11-01T09:00:00+00:00"}


def activity(title: str, venue: str = "Hall 1") -> dict:
    return {"title": title, "starts_at": "2030-11-18T10:00:00+00:00", "ends_at": "2030-11-18T12:00:00+00:00",
            "attendance": "in_person", "venue": venue, "region": "", "organiser": "O", "summary": ""}


def composed(name: str, title: str, venue: str = "Hall 1"):
    email = compose("m1", "registration_confirmed", {"name": name, "email": "ada@example.org"},
                    {"activity": activity(title, venue), "calendar": ENTRY, "status": ""}, "Week <week@example.org>")
    return message_from_bytes(bytes(email), policy=policy.default)


@pytest.mark.parametrize("hostile", [MARKUP, ENCODED, BREAK])
def test_a_hostile_title_name_or_venue_is_inert_everywhere(hostile):
    email = composed(name=hostile, title=hostile, venue=hostile)
    assert email["Bcc"] is None
    assert "victim@evil.example, bob" not in str(email["Subject"]) + str(email["To"]), "an encoded word was decoded"
    assert "\n" not in str(email["Subject"]) and "<script>" not in html_of(email)
    assert "&lt;script&gt;" in html_of(email) or "<" not in hostile
    calendar, event = event_of(email)  # exactly one event
    assert len(event.get("ATTENDEE") if isinstance(event.get("ATTENDEE"), list) else [event.get("ATTENDEE")]) == 1
    assert str(event["ATTENDEE"]) == "mailto:ada@example.org"
    assert "\n" not in str(event["SUMMARY"]) and "\n" not in str(event["LOCATION"])


def test_the_plain_text_part_is_text_not_escaped_markup():
    email = composed(name="Ada & Bob", title="Tea & <cake>")
    assert "Tea & <cake>" in text_of(email) and "&amp;" not in text_of(email)
    assert "Tea &amp; &lt;cake&gt;" in html_of(email)


@pytest.mark.parametrize("template", ANNOUNCEMENT_TEMPLATES)
@pytest.mark.parametrize("hostile", [MARKUP, ENCODED, BREAK])
def test_a_hostile_announcement_is_inert_in_every_part_and_header(template, hostile):
    words = {"title": hostile, "summary": hostile, "author": hostile, "organisation": hostile,
             "url": "https://content.example.org/posts/a"}
    email = message_from_bytes(bytes(compose(
        "m2", template, {"name": hostile, "email": "ada@example.org"},
        {"announcement": words, "unsubscribe_url": "https://notifications.example.org/unsubscribe/abc.def"},
        "Week <week@example.org>")), policy=policy.default)
    assert email["Bcc"] is None and "\n" not in str(email["Subject"]) and "<script>" not in html_of(email)
    assert "&lt;script&gt;" in html_of(email) or "<" not in hostile
    assert "victim@evil.example, bob" not in str(email["Subject"]) + str(email["To"])
    assert email["List-Unsubscribe"] == "<https://notifications.example.org/unsubscribe/abc.def>"
    assert [name for name in email.keys() if name.lower() in ("bcc", "cc", "attendee")] == []
