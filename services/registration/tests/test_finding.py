"""Finding activities on the public list: filters that combine, live in the URL, say when nothing
matches, and name a wrong value. The activities carry themes, an area and access provisions, set
through the organisers' API and shown on the activity's page."""
from collections import Counter
from datetime import timedelta
from urllib.parse import urlencode

import pytest
from hypothesis import given, settings, strategies as st

from shared.settings import DEVELOPMENT_SECRET

from tests.support.messages import NOW  # the clock of the service fixture, too

ADMIN = {"Authorization": f"Bearer {DEVELOPMENT_SECRET}"}
MONDAY = NOW + timedelta(days=17)  # 18 November 2030, a Monday
ACTIVITIES = {
    "Housing in Fife": dict(starts=MONDAY, attendance="in_person", area="fife", themes=["housing"],
                            access_provisions=["step_free", "hearing_loop"], organiser="Fife Tenants"),
    "Care online": dict(starts=MONDAY + timedelta(days=1), attendance="online", area="",
                        themes=["health-and-social-care"], access_provisions=["bsl_interpreter", "live_captions"],
                        summary="A talk about 100% co-produced care."),
    "Schools, hybrid": dict(starts=MONDAY + timedelta(days=1, hours=3), attendance="hybrid", area="highland",
                            themes=["education", "research-and-learning"], access_provisions=["step_free"]),
}


@pytest.fixture
def listed(client, service):
    ids = {}
    for title, given in ACTIVITIES.items():
        given = dict(given)
        starts = given.pop("starts")
        body = {"organiser": "Test Network", "title": title, "summary": "About it.", "starts_at": starts.isoformat(),
                "ends_at": (starts + timedelta(hours=2)).isoformat(), "venue": "Hall 1", "region": "Somewhere",
                "capacity": 10, "open": True, **given}
        response = client.post("/api/activities", json=body, headers=ADMIN)
        assert response.status_code == 201, response.json
        ids[title] = response.json["activity_id"]
    service.runtime.projector(service.parts).catch_up()
    return ids


def titles(client, query: str) -> list[str]:
    response = client.get(f"/?{query}")
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    page = response.get_data(as_text=True)
    return [title for title in ACTIVITIES if f">{title}</a>" in page.replace("&#39;", "'")]


@pytest.mark.parametrize("query, expected", [
    ("", ["Housing in Fife", "Care online", "Schools, hybrid"]),
    ("day=2030-11-19", ["Care online", "Schools, hybrid"]),
    ("theme=housing", ["Housing in Fife"]),
    ("theme=housing&theme=education", ["Housing in Fife", "Schools, hybrid"]),  # any of the themes
    ("format=online&format=hybrid", ["Care online", "Schools, hybrid"]),
    ("area=fife", ["Housing in Fife"]),
    ("area=online", ["Care online", "Schools, hybrid"]),  # joinable from anywhere: online or hybrid
    ("access=step_free", ["Housing in Fife", "Schools, hybrid"]),
    ("access=step_free&access=hearing_loop", ["Housing in Fife"]),  # every provision ticked
    ("q=fife+tenants", ["Housing in Fife"]),  # the organiser, whatever the case
    ("q=100%25", ["Care online"]),  # a % is a letter to search for, not a wildcard
    ("q=_", []),
    ("day=2030-11-19&theme=education&access=step_free&area=highland&format=hybrid&q=schools", ["Schools, hybrid"]),
    ("theme=housing&day=2030-11-19", []),  # filters of different kinds combine
    ("utm_source=newsletter", ["Housing in Fife", "Care online", "Schools, hybrid"]),  # unknown ones are ignored
])
def test_filters_combine_and_live_in_the_url(client, listed, query, expected):
    assert titles(client, query) == expected


def test_the_filters_asked_come_back_chosen(client, listed):
    page = client.get("/?day=2030-11-19&theme=housing&area=fife&access=step_free&q=tenants").get_data(as_text=True)
    assert '<option value="2030-11-19" selected>' in page and '<option value="fife" selected>' in page
    assert 'value="tenants"' in page
    for box in ("theme-housing", "access-step_free"):
        assert "checked" in page.split(f'id="{box}"')[1].split(">")[0], box
    assert "checked" not in page.split('id="theme-education"')[1].split(">")[0]
    assert '<option value="2030-11-18">' in page, "each day with an open activity can be chosen"


def test_an_empty_result_says_so_and_offers_to_clear_the_filters(client, listed):
    page = client.get("/?theme=arts-and-culture").get_data(as_text=True)
    assert "0 activities match your filters" in page and "No activities match these filters" in page
    assert '<a href="/">clear the filters</a>' in page


@pytest.mark.parametrize("query, field, message", [
    ("day=someday", "day", "Choose a day from the list"),
    ("theme=knitting", "theme", "Choose themes from the list"),
    ("format=telepathy", "format", "Choose formats from the list"),
    ("area=atlantis", "area", "Choose an area from the list"),
    ("access=jetpack", "access", "Choose access provisions from the list"),
    ("q=" + "x" * 201, "q", "Search words must be 200 characters or fewer"),
    ("q=a%0d%0ab", "q", "Search words must be on one line"),
])
def test_a_wrong_filter_is_named_and_nothing_listed(client, listed, query, field, message):
    response = client.get(f"/?{query}")
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and message in page and f'href="#{field}"' in page and f'id="{field}"' in page
    assert not [title for title in ACTIVITIES if f">{title}</a>" in page]


def test_the_activity_page_shows_its_area_themes_and_access_provisions(client, listed):
    page = client.get(f"/activities/{listed['Housing in Fife']}").get_data(as_text=True)
    for shown in ("Fife", "Housing", "Step-free access", "Hearing loop"):
        assert shown in page, shown
    assert "BSL interpreter" not in page.split("<h2>Register</h2>")[0]


def test_the_api_keeps_and_changes_themes_area_and_provisions(client, service, listed):
    activity_id = listed["Care online"]
    read = client.get(f"/api/activities/{activity_id}", headers=ADMIN)
    assert (read.json["themes"], read.json["area"], read.json["access_provisions"]) == (
        ["health-and-social-care"], "", ["bsl_interpreter", "live_captions"])
    changed = client.patch(f"/api/activities/{activity_id}", json={"access_provisions": ["quiet_space"]},
                           headers={**ADMIN, "If-Match": read.headers["ETag"]})
    assert changed.status_code == 200, changed.json
    service.runtime.projector(service.parts).catch_up()
    assert client.get(f"/api/activities/{activity_id}", headers=ADMIN).json["access_provisions"] == ["quiet_space"]
    assert titles(client, "access=quiet_space") == ["Care online"]


@pytest.mark.parametrize("field, value", [("themes", ["knitting"]), ("area", "atlantis"),
                                          ("access_provisions", ["jetpack"]), ("themes", "housing")])
def test_the_api_refuses_values_not_in_the_lists_naming_the_field(client, field, value):
    body = {"organiser": "O", "title": "T", "starts_at": (MONDAY).isoformat(),
            "ends_at": (MONDAY + timedelta(hours=1)).isoformat(), "attendance": "online", "region": "R",
            "capacity": 5, field: value}
    response = client.post("/api/activities", json=body, headers=ADMIN)
    assert response.status_code == 422 and field in response.json["errors"]["json"], response.json


def test_no_query_string_is_a_server_error(client, listed):
    """Generated filters, known and unknown, well formed or not: a list (200) or the named mistake (400)."""
    answers = Counter()
    values = st.one_of(st.text(max_size=30), st.sampled_from(["2030-11-19", "housing", "fife", "online", "step_free"]))

    @settings(max_examples=150, deadline=None)
    @given(query=st.lists(st.tuples(st.sampled_from(["day", "theme", "format", "area", "access", "q", "page"]), values),
                          max_size=6))
    def get(query):
        response = client.get("/?" + urlencode(query))
        assert response.status_code in (200, 400), response.get_data(as_text=True)[:300]
        answers[response.status_code] += 1

    get()
    assert answers[200] and answers[400], f"the generated queries must reach both answers: {answers}"
