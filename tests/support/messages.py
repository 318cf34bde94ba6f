"""Contract-valid messages from registration, as notifications and content hear them."""
import uuid
from datetime import datetime, timezone

from shared.contracts import envelope
from shared.contracts.content import CASE_STUDY_PUBLISHED, POST_PUBLISHED, SECTION_PUBLISHED
from shared.contracts.registration import (ANNOUNCEMENTS_CONSENTED, ACTIVITY_CANCELLED, ACTIVITY_CHANGED, ACTIVITY_OPENED, ACTIVITY_RESCHEDULED,
                                           REGISTRATION_CANCELLED, REGISTRATION_CONFIRMED)

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


def _from_registration(message_type, payload: dict, message_id: str | None = None) -> dict:
    return envelope(message_type, payload, "registration", message_id=message_id or str(uuid.uuid4()),
                    occurred_at=NOW, correlation_id="c")


def make_place_message(message_type, registration_id: str, person_id: str, name="Ada Example",
                       email="ada@example.org", message_id=None, **extra) -> dict:
    """A message about one person's place (confirmed, waitlisted, promoted, cancelled...)."""
    payload = {"registration_id": registration_id, "activity_id": ACTIVITY_ID, "person_id": person_id,
               "name": name, "email": email, **extra}
    return _from_registration(message_type, payload, message_id)


def make_cancelled_message(registration_id: str, person_id: str, was="confirmed", by="person", reason="",
                           **person) -> dict:
    return make_place_message(REGISTRATION_CANCELLED, registration_id, person_id, was=was, by=by, reason=reason,
                              **person)


def make_changed_message(changed: dict, message_id=None) -> dict:
    """The activity as activity_opened_message() opened it, with `changed` applied."""
    opened = activity_opened_message()["payload"]
    details = {key: value for key, value in opened.items() if key != "capacity"}
    return _from_registration(ACTIVITY_CHANGED, {**details, **changed, "changed": sorted(changed)}, message_id)


def make_rescheduled_message(starts_at: str, ends_at: str, message_id=None) -> dict:
    return _from_registration(ACTIVITY_RESCHEDULED, {"activity_id": ACTIVITY_ID, "starts_at": starts_at,
                                                      "ends_at": ends_at}, message_id)


def make_activity_cancelled_message(reason="", message_id=None) -> dict:
    return _from_registration(ACTIVITY_CANCELLED, {"activity_id": ACTIVITY_ID, "reason": reason}, message_id)


def make_consent_message(person_id: str, name="Ada Example", email="ada@example.org",
                         given_at="2030-11-01T08:00:00+00:00", message_id=None) -> dict:
    """A person's opt-in to announcements, as registration publishes it."""
    payload = {"person_id": person_id, "registration_id": str(uuid.uuid4()), "name": name, "email": email,
               "wording": "Tell me about the Co-production Guide and future weeks", "given_at": given_at}
    return _from_registration(ANNOUNCEMENTS_CONSENTED, payload, message_id)


def make_section_published_message(slug="what-is-co-production", revision=1, title="What is co-production?",
                                   message_id=None) -> dict:
    payload = {"slug": slug, "revision": revision, "title": title, "summary": "A clearer first paragraph",
               "url": f"https://content.example.org/guide/{slug}/revisions/{revision}"}
    return envelope(SECTION_PUBLISHED, payload, "content", message_id=message_id or str(uuid.uuid4()),
                    occurred_at=NOW, correlation_id="c")


ARTICLE_KINDS = {"post": POST_PUBLISHED, "case_study": CASE_STUDY_PUBLISHED}
ARTICLE_PATHS = {"post": "posts", "case_study": "case-studies"}


def make_article_published_message(kind="post", slug="five-things-we-learned", revision=1, first=True,
                                   title="Five things we learned", summary="What people told us", message_id=None,
                                   **words) -> dict:
    """A post's (or, with kind="case_study", a case study's) revision published, as content sends it."""
    payload = {"slug": slug, "revision": revision, "first": first, "title": title, "summary": summary,
               "author": "Morag Example", "tags": ["housing"],
               "url": f"https://content.example.org/{ARTICLE_PATHS[kind]}/{slug}", **words}
    if kind == "case_study":
        payload = {"organisation": "Fife Housing", "sector": "housing", **payload}
    return envelope(ARTICLE_KINDS[kind], payload, "content", message_id=message_id or str(uuid.uuid4()),
                    occurred_at=NOW, correlation_id="c")
