"""A page of posts or case studies costs the same with 50 articles or 5,000: every query a list
page, its tag filter and its tags make is answered from an index that holds its order, on SQLite
and on PostgreSQL alike. Shown by the database's own plan of each statement (PostgreSQL told to
avoid sequential scans and sorts wherever an index allows, as it does on a table of any size)."""
import pytest
from sqlalchemy import event, text

from shared.actors import Actor
from shared.settings import load

from content.article_projections import all_tags, live_articles
from content.bootstrap import bootstrap
from content.domain.commands import WriteArticle

EDITOR = Actor.system("test")


@pytest.fixture
def service(database_url, tmp_path):
    built = bootstrap(load("content", {"CONTENT_DATABASE_URL": database_url, "VAR_DIR": str(tmp_path)}))
    for n in range(30):
        extra = {"organisation": "Fife Housing", "sector": "housing"} if n % 3 == 0 else {}
        built.handle(WriteArticle(actor=EDITOR, kind="case_study" if extra else "post", slug=f"a-{n}",
                                  title=f"Article {n}", summary="S.", body="B.", author="Morag Bell",
                                  tags=[f"tag-{n % 4}", "common"], based_on=0, publish=True, **extra))
    built.runtime.projector(built.parts).catch_up()
    yield built
    built.runtime.engine.dispose()


def statements_of(db, read) -> list[tuple[str, object]]:
    seen = []

    def record(_conn, _cursor, statement, parameters, _context, _many):
        seen.append((statement, parameters))
    event.listen(db, "before_cursor_execute", record)
    try:
        read(db)
    finally:
        event.remove(db, "before_cursor_execute", record)
    return seen


def plan_of(db, statement: str, parameters) -> str:
    if db.dialect.name == "postgresql":
        db.exec_driver_sql("SET enable_seqscan = off")
        db.exec_driver_sql("SET enable_sort = off")
        rows = db.exec_driver_sql("EXPLAIN " + statement, parameters)
    else:
        rows = db.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters)
    return "\n".join(str(row[-1]) for row in rows)


def costly(plan: str) -> list[str]:
    """Steps of a plan that grow with the table: a scan of all of it, or a sort of what it found."""
    return [line for line in plan.splitlines()
            if "Seq Scan" in line or line.strip().startswith("Sort") or "TEMP B-TREE" in line
            or (line.strip().startswith("SCAN") and "INDEX" not in line)]


@pytest.mark.real_server
@pytest.mark.parametrize("read", [
    lambda db: live_articles(db, "post", limit=21, offset=10),
    lambda db: live_articles(db, "post", tag="tag-1", limit=21),
    lambda db: live_articles(db, "case_study", sector="housing", limit=21),
    lambda db: live_articles(db, "case_study", tag="common", sector="housing", limit=21),
    lambda db: all_tags(db, "post"),
], ids=["all", "one tag", "one sector", "a tag and a sector", "the tags offered"])
def test_each_query_of_a_list_page_is_answered_along_an_index(service, read):
    with service.runtime.engine.connect() as db:
        assert read(db), "the fixture has articles for every list"
        statements = statements_of(db, read)
        found = {statement: costly(plan_of(db, statement, parameters)) for statement, parameters in statements}
    assert statements and {statement: steps for statement, steps in found.items() if steps} == {}
