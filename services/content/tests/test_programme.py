"""The programme follows registration's messages about an activity, through the real consumer."""
import uuid
from datetime import datetime, timezone

from shared.contracts import envelope
from shared.contracts.registration import (ACTIVITY_CANCELLED, ACTIVITY_CHANGED, ACTIVITY_REGISTRATION_CLOSED,
                                           ACTIVITY_REGISTRATION_REOPENED, ACTIVITY_RESCHEDULED)

from tests.support.consuming import deliver



def message(kind, **payload) -> dict:
    return envelope(kind, payload, "registration", message_id=str(uuid.uuid4()),
                    occurred_at=datetime.now(timezone.utc), correlation_id="c")


def listed(service, activity_opened, title="Tenants shaping repairs") -> str:
    opened = activity_opened(title)
    deliver(service, opened)
    return opened["payload"]["activity_id"]


def page(client) -> str:
    response = client.get("/programme")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_a_changed_activity_shows_its_new_details(client, service, activity_opened):
    opened = activity_opened("Old title")
    deliver(service, opened)
    details = {k: v for k, v in opened["payload"].items() if k != "capacity"}
    deliver(service, message(ACTIVITY_CHANGED, **{**details, "title": "New title", "venue": "Hall 2",
                                                  "changed": ["title", "venue"]}))
    text = page(client)
    assert "New title" in text and "Old title" not in text


def test_a_rescheduled_activity_moves_to_its_new_day(client, service, activity_opened):
    activity_id = listed(service, activity_opened)
    deliver(service, message(ACTIVITY_RESCHEDULED, activity_id=activity_id,
                             starts_at="2030-11-21T10:00:00+00:00", ends_at="2030-11-21T11:30:00+00:00"))
    text = page(client)
    assert "Thursday 21 November 2030" in text and "Tuesday 19 November 2030" not in text
    assert "10:00 to 11:30" in text


def test_closed_registration_is_shown_until_it_reopens(client, service, activity_opened):
    activity_id = listed(service, activity_opened)
    deliver(service, message(ACTIVITY_REGISTRATION_CLOSED, activity_id=activity_id))
    assert "Registration closed." in page(client)
    deliver(service, message(ACTIVITY_REGISTRATION_REOPENED, activity_id=activity_id))
    assert "Registration closed." not in page(client)


def test_a_cancelled_activity_stays_listed_as_cancelled_with_its_reason(client, service, activity_opened):
    activity_id = listed(service, activity_opened)
    deliver(service, message(ACTIVITY_CANCELLED, activity_id=activity_id, reason="The venue is flooded."))
    text = page(client)
    assert "Tenants shaping repairs</a> (cancelled)" in text
    assert "This activity is cancelled.</strong> The venue is flooded." in text
    assert f'/activities/{activity_id}"' in text


def test_news_of_an_activity_never_opened_lists_nothing(client, service):
    deliver(service, message(ACTIVITY_CANCELLED, activity_id=str(uuid.uuid4()), reason="x"))
    assert "The programme is being put together" in page(client)
