"""Message contracts: what decodes, and the error that names what does not."""
import json
import uuid
from datetime import datetime, timezone

import pytest

from shared.contracts import ContractError, decode, envelope, message_id
from shared.contracts.registration import ActivityDetails
from tests.support.facts import activity_opened_payload

NOW = datetime(2030, 11, 1, tzinfo=timezone.utc)


def opened(**payload_changes):
    payload = {**activity_opened_payload("x"), **payload_changes}
    return envelope("registration.activity.opened", payload, "registration", message_id=str(uuid.uuid4()),
                    occurred_at=NOW, correlation_id="c")


def test_a_valid_message_round_trips_and_unknown_fields_are_ignored():
    body = {**opened(), "added_later": 1}
    body["payload"]["also_new"] = "ignored"
    decoded = decode(json.dumps(body))
    assert decoded.type == "registration.activity.opened" and "also_new" not in decoded.payload
    assert decoded.payload["starts_at"].tzinfo is not None


@pytest.mark.parametrize("body, named", [
    (b"\xff", "JSON"),
    ("[]", "invalid message"),
    (json.dumps({**opened(), "id": "nope"}), "id"),
    (json.dumps({**opened(), "type": "registration.nothing.happened"}), "type"),
    (json.dumps({**opened(), "payload": {**opened()["payload"], "capacity": 0}}), "capacity"),
    (json.dumps({**opened(), "payload": {**opened()["payload"], "attendance": "x"}}), "attendance"),
])
def test_a_message_that_breaks_its_contract_is_refused_naming_the_field(body, named):
    with pytest.raises(ContractError, match=named):
        decode(body)


def test_a_payload_is_checked_before_it_is_published():
    with pytest.raises(ContractError, match="capacity"):
        opened(capacity=-1)


def test_the_same_fact_always_gets_the_same_message_id():
    assert message_id("registration", "activity-1", 3) == message_id("registration", "activity-1", 3)
    assert message_id("registration", "activity-1", 3) != message_id("registration", "activity-1", 4)


def consented(**payload_changes):
    payload = {"person_id": str(uuid.uuid4()), "registration_id": str(uuid.uuid4()), "name": "Ailsa",
               "email": "ailsa@example.org", "wording": "Tell me about future weeks and the Guide.",
               "given_at": NOW.isoformat(), **payload_changes}
    return envelope("registration.person.announcements_consented", payload, "registration",
                    message_id=str(uuid.uuid4()), occurred_at=NOW, correlation_id="c")


def test_an_announcements_consent_carries_its_wording_and_time():
    decoded = decode(json.dumps(consented()))
    assert decoded.payload["wording"].startswith("Tell me") and decoded.payload["given_at"] == NOW


@pytest.mark.parametrize("changes, named", [
    ({"wording": ""}, "wording"), ({"given_at": "2030-11-01T00:00:00"}, "given_at"), ({"email": "nope"}, "email"),
])
def test_an_announcements_consent_without_its_wording_time_or_address_is_refused(changes, named):
    with pytest.raises(ContractError, match=named):
        consented(**changes)


def test_activity_details_without_themes_area_or_provisions_read_as_none_of_them():
    """A message from before they were added decodes, and reads back with the defaults."""
    decoded = decode(json.dumps(opened()))
    details = ActivityDetails.from_payload(decoded.payload)
    assert (details.themes, details.area, details.access_provisions) == ((), "", ())
    assert details.summary == decoded.payload["summary"]


def test_activity_details_carry_themes_area_and_provisions_in_any_order_as_one_value():
    decoded = decode(json.dumps(opened(themes=["housing", "education"], area="fife",
                                       access_provisions=["step_free", "bsl_interpreter"])))
    details = ActivityDetails.from_payload(decoded.payload)
    assert details.themes == ("education", "housing") and details.area == "fife"
    reordered = ActivityDetails.from_payload({**decoded.payload, "themes": ["education", "housing", "housing"]})
    assert reordered == details, "the same themes, however listed, are the same details"


def article_published(type_name="content.post.published", **payload_changes):
    payload = {"slug": "tenants-first", "revision": 1, "first": True, "title": "Tenants first", "summary": "How.",
               "author": "Morag Bell", "tags": ["housing"], "url": "https://example.org/posts/tenants-first",
               **payload_changes}
    return envelope(type_name, payload, "content", message_id=str(uuid.uuid4()), occurred_at=NOW, correlation_id="c")


def test_a_published_post_and_case_study_round_trip():
    assert decode(json.dumps(article_published())).payload["tags"] == ["housing"]
    case_study = article_published("content.case_study.published", organisation="Fife Housing", sector="housing")
    assert decode(json.dumps(case_study)).payload["sector"] == "housing"


@pytest.mark.parametrize("type_name, changes, named", [
    ("content.post.published", {"url": "javascript:alert(1)"}, "url"),
    ("content.post.published", {"title": "Two\nlines"}, "title"),
    ("content.post.published", {"revision": "1"}, "revision"),
    ("content.post.published", {"tags": ["x"] * 11}, "tags"),
    ("content.case_study.published", {}, "organisation"),
    ("content.case_study.published", {"organisation": "Fife Housing"}, "sector"),
    ("content.case_study.published", {"organisation": "Fife Housing", "sector": "health_social_care"}, "sector"),
])
def test_a_published_article_that_breaks_its_contract_is_refused_naming_the_field(type_name, changes, named):
    with pytest.raises(ContractError, match=named):
        article_published(type_name, **changes)


def test_a_withdrawn_post_names_its_slug_and_revision():
    withdrawn = envelope("content.post.withdrawn", {"slug": "tenants-first", "revision": 2}, "content",
                         message_id=str(uuid.uuid4()), occurred_at=NOW, correlation_id="c")
    assert decode(json.dumps(withdrawn)).payload == {"slug": "tenants-first", "revision": 2}
    with pytest.raises(ContractError, match="slug"):
        envelope("content.post.withdrawn", {"revision": 2}, "content", message_id=str(uuid.uuid4()), occurred_at=NOW,
                 correlation_id="c")
