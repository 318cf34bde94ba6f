"""The form's access needs as choices (sealed with the rest of the person's details, counted in the
organiser's access brief), a carer's second place, and the two consents kept apart: booking emails
always, announcements only when ticked, recorded with their words and time and told to notifications."""
import json

from sqlalchemy import select

from shared.contracts import decode
from shared.settings import DEVELOPMENT_SECRET
from shared.contracts.registration import ANNOUNCEMENTS_CONSENTED

from registration.domain.activity import stream_id
from registration.domain.needs import ANNOUNCEMENTS_WORDING, BOOKING_EMAILS
from tests.support.messages import NOW  # the clock of the service fixture, too

ADMIN = {"Authorization": f"Bearer {DEVELOPMENT_SECRET}"}


def stream(service, activity_id):
    with service.runtime.engine.connect() as db:
        return service.runtime.store.read_stream(db, stream_id(activity_id))


def raw_log(service) -> str:
    with service.runtime.engine.connect() as db:
        return " ".join(row.data for row in db.execute(select(service.runtime.store.table)))


def test_the_form_offers_each_need_and_both_consents_with_announcements_unticked(client, open_activity):
    page = client.get(f"/activities/{open_activity}").get_data(as_text=True)
    for label in ("BSL interpreter", "Captions", "Hearing loop", "Step-free access", "Quiet space", "Dietary needs",
                  "I am bringing a carer or personal assistant"):
        assert f">{label}</label>" in page, label
    assert BOOKING_EMAILS in page
    announcements = page.split('id="announcements"')[1].split(">")[0]
    assert "checked" not in announcements and ANNOUNCEMENTS_WORDING in page


def test_chosen_needs_are_sealed_and_counted_in_the_access_brief(client, post_form, service, open_activity):
    client.put(f"/api/activities/{open_activity}/capacity", json={"capacity": 5},
               headers={**ADMIN, "If-Match": '"2"'})
    response = post_form(open_activity, needs=["bsl_interpreter", "quiet_space"], dietary_needs="Gluten-free",
                         access_needs="Breaks every hour")
    assert response.status_code == 303
    post_form(open_activity, email="bo@example.org", needs=["quiet_space"])
    for personal in ("bsl_interpreter", "Gluten-free", "Breaks every hour"):
        assert personal not in raw_log(service), f"{personal!r} is in the log in the clear"
    brief = client.get(f"/api/activities/{open_activity}/access-brief", headers=ADMIN).json
    counts = {need["need"]: need["count"] for need in brief["access_needs"]}
    assert counts == {"bsl_interpreter": 1, "captions": 0, "hearing_loop": 0, "step_free": 0, "quiet_space": 2,
                      "dietary": 1}, "words in the dietary box count as a dietary need, ticked or not"
    assert brief["dietary_needs"] == [{"need": "Gluten-free", "count": 1}]
    assert brief["needs"] == [{"need": "Breaks every hour", "count": 1}] and brief["with_access_needs"] == 2


def test_a_carer_takes_a_second_place(client, post_form, service, open_activity):
    client.put(f"/api/activities/{open_activity}/capacity", json={"capacity": 2}, headers={**ADMIN, "If-Match": '"2"'})
    assert post_form(open_activity, with_carer="yes").status_code == 303
    [booking] = client.get(f"/api/activities/{open_activity}/bookings", headers=ADMIN).json
    assert booking["places"] == 2 and booking["person"]["with_carer"] is True


def test_no_consent_is_recorded_unless_ticked(post_form, service, open_activity):
    assert post_form(open_activity).status_code == 303
    assert "AnnouncementsConsented" not in [fact.type for fact in stream(service, open_activity)]


def test_a_ticked_consent_is_recorded_with_its_words_and_time_and_told_to_notifications(post_form, service,
                                                                                       open_activity):
    assert post_form(open_activity, announcements="yes").status_code == 303
    *_, registered, consent = stream(service, open_activity)
    assert consent.type == "AnnouncementsConsented"
    assert consent.data["wording"] == ANNOUNCEMENTS_WORDING and consent.data["given_at"] == NOW.isoformat()
    assert consent.data["registration_id"] == registered.data["registration_id"]
    with service.runtime.engine.connect() as db:
        [message] = service.parts.translate(db, consent)
    decoded = decode(json.dumps(message))
    assert decoded.type == ANNOUNCEMENTS_CONSENTED.name
    assert {key: decoded.payload[key] for key in ("name", "email", "wording")} == {
        "name": "Ada Example", "email": "ada@example.org", "wording": ANNOUNCEMENTS_WORDING}
    assert str(decoded.payload["person_id"]) == registered.data["person_id"]


def test_a_consent_given_when_sending_the_form_again_is_recorded_too(post_form, service, open_activity):
    post_form(open_activity)
    post_form(open_activity, announcements="yes")
    assert [fact.type for fact in stream(service, open_activity)][-2:] == ["RegistrationResubmitted",
                                                                          "AnnouncementsConsented"]


def test_wrong_choices_are_refused_naming_the_field_and_nothing_is_recorded(client, post_form, service, open_activity):
    before = len(stream(service, open_activity))
    for fields, field, message in [
            ({"needs": ["a_pony"]}, "needs", "Choose your access needs from the list"),
            ({"needs": ["dietary"]}, "dietary_needs", "Tell us your dietary needs"),
            ({"dietary_needs": "x" * 501}, "dietary_needs", "Dietary needs must be 500 characters or fewer"),
            ({"with_carer": "maybe"}, "with_carer", "Not a valid boolean"),
            ({"announcements": "on"}, "announcements", "Not a valid boolean")]:
        response = post_form(open_activity, **fields)
        page = response.get_data(as_text=True)
        assert response.status_code == 422 and f'href="#{field}"' in page and message in page, fields
        assert f'id="{field}"' in page, "the error links to a field on the page"
    assert len(stream(service, open_activity)) == before


def test_the_choices_typed_come_back_ticked_after_a_mistake(post_form, open_activity):
    page = post_form(open_activity, email="", needs=["captions", "step_free"], with_carer="yes",
                     announcements="yes").get_data(as_text=True)
    for box in ("needs-captions", "needs-step_free", "with_carer", "announcements"):
        assert "checked" in page.split(f'id="{box}"')[1].split(">")[0], box
    assert "checked" not in page.split('id="needs-hearing_loop"')[1].split(">")[0]
