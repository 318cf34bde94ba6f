"""Search across the guide, posts and case studies, the same on SQLite (FTS5) and PostgreSQL (text
search): every word must match, stems match, withdrawn writing leaves the index, matches come back
marked and everything else escaped, and the index is rebuilt from the log like any read table."""
import re

import pytest

from shared.actors import Actor
from shared.settings import load

from content import search
from content.app import create_app
from content.bootstrap import bootstrap
from content.domain.commands import PublishRevision, WithdrawLiveRevision, WriteArticle, WriteSection
from content.text import MARKS
from tests.support.paging import pages_linked

EDITOR = Actor.system("test")


@pytest.fixture
def service(database_url, tmp_path):
    built = bootstrap(load("content", {"CONTENT_DATABASE_URL": database_url, "VAR_DIR": str(tmp_path)}))
    yield built
    built.runtime.engine.dispose()


def published_section(service, slug, title, body):
    service.handle(WriteSection(actor=EDITOR, slug=slug, title=title, body=body, position=1, based_on=0,
                                publish=True))


def published_post(service, slug, title, body, kind="post"):
    extra = {"organisation": "Fife Housing", "sector": "housing"} if kind == "case_study" else {}
    service.handle(WriteArticle(actor=EDITOR, kind=kind, slug=slug, title=title, summary="S.", body=body,
                                author="Morag Bell", tags=[], based_on=0, publish=True, **extra))


@pytest.fixture
def filled(service):
    published_section(service, "meetings", "Meetings that include everyone", "Send the **papers** a week early.")
    published_post(service, "repairs", "Repairs together", "Tenants and staff planned the repairs together.")
    published_post(service, "wards", "Wards we designed", "Patients and nurses designed the wards.", "case_study")
    service.handle(WriteArticle(actor=EDITOR, kind="post", slug="draft", title="Draft", summary="S.",
                                body="A draft about repairs.", author="A", tags=[], based_on=0))
    service.runtime.projector(service.parts).catch_up()
    return service


def found(service, query):
    with service.runtime.engine.connect() as db:
        return search.search(db, query)


@pytest.mark.real_server
def test_every_word_must_match_and_stems_match_on_both_databases(filled):
    assert [(r["kind"], r["slug"]) for r in found(filled, "repair")] == [("post", "repairs")]
    assert [r["slug"] for r in found(filled, "designed nurses")] == ["wards"]
    assert found(filled, "designed tenants") == []
    assert [r["slug"] for r in found(filled, "PAPERS")] == ["meetings"]
    assert found(filled, "") == [] and found(filled, '"*:() OR -') == []


@pytest.mark.real_server
def test_matches_are_marked_and_the_title_is_whole(filled):
    [result] = found(filled, "repairs")
    assert result["title"] == f"{MARKS[0]}Repairs{MARKS[1]} together"
    assert f"{MARKS[0]}repairs{MARKS[1]}" in result["excerpt"]


@pytest.mark.real_server
def test_withdrawn_writing_leaves_the_index_and_a_rebuild_gives_the_same_answers(filled):
    filled.handle(WithdrawLiveRevision(actor=EDITOR, kind="post", slug="repairs"))
    filled.handle(WriteSection(actor=EDITOR, slug="meetings", title="Meetings", body="Agendas in plain words.",
                               position=1, based_on=1))
    filled.handle(PublishRevision(actor=EDITOR, slug="meetings", revision=2))
    projector = filled.runtime.projector(filled.parts)
    projector.catch_up()
    before = [found(filled, q) for q in ("repairs", "papers", "agendas", "wards")]
    assert [[r["slug"] for r in answer] for answer in before] == [[], [], ["meetings"], ["wards"]]
    projector.rebuild("search")
    assert [found(filled, q) for q in ("repairs", "papers", "agendas", "wards")] == before


@pytest.mark.real_server
def test_the_search_page_escapes_what_it_shows_and_says_when_nothing_is_found(filled):
    client = create_app(filled).test_client()
    page = client.get("/search?q=repairs").get_data(as_text=True)
    assert '<mark>Repairs</mark> together' in page and "1 result for" in page
    hostile = client.get("/search?q=%3Cscript%3Ealert(1)%3C/script%3E").get_data(as_text=True)
    assert "<script>alert" not in hostile and "Nothing found for “&lt;script&gt;alert(1)&lt;/script&gt;”" in hostile
    assert "Nothing found" in client.get("/search?q=zebra").get_data(as_text=True)
    too_long = client.get("/search?q=" + "a" * 201)
    assert too_long.status_code == 400 and "q:" in too_long.get_data(as_text=True)


@pytest.mark.real_server
def test_results_come_twenty_to_a_page_each_once_and_past_the_last_page_is_a_404(service):
    for n in range(45):
        published_post(service, f"p-{n}", f"Post number {n}", "Tenants planned it." + " Tenants again." * (n % 3))
    service.runtime.projector(service.parts).catch_up()
    client = create_app(service).test_client()

    def shown(path):
        answer = client.get(path)
        assert answer.status_code == 200, path
        page = answer.get_data(as_text=True)
        return page, re.findall(r">Post number (\d+)</a>", page)
    first, on_first = shown("/search?q=tenants")
    middle, on_middle = shown("/search?q=tenants&page=2")
    last, on_last = shown("/search?q=tenants&page=3")
    assert (len(on_first), len(on_middle), len(on_last)) == (20, 20, 5)
    assert sorted(on_first + on_middle + on_last, key=int) == [str(n) for n in range(45)]  # each once
    assert "Results 1 to 20 for" in first and "Results 21 to 40 for" in middle and "Results 41 to 45" in last
    assert pages_linked(first) == {"next": ("/search", {"q": "tenants", "page": "2"})}
    assert pages_linked(middle) == {"prev": ("/search", {"q": "tenants"}),
                                    "next": ("/search", {"q": "tenants", "page": "3"})}
    assert pages_linked(last) == {"prev": ("/search", {"q": "tenants", "page": "2"})}
    assert '<ol class="results" start="41">' in last
    assert client.get("/search?q=tenants&page=4").status_code == 404
    assert client.get("/search?q=tenants&page=zero").status_code == 400
