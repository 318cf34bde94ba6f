"""A batch's rows, on an SQLite table: read by key once, changed in memory, and written at the end
with one statement per kind of change, with the same outcome as writing each change at once."""
import pytest
from sqlalchemy import Column, Integer, MetaData, String, Table, create_engine, event, insert, select
from sqlalchemy.exc import IntegrityError

from shared.batch_rows import DuplicateRow, Rows

metadata = MetaData()
people = Table("people", metadata, Column("name", String(20), primary_key=True),
               Column("visits", Integer, nullable=False, default=0), Column("note", String(20)))


@pytest.fixture
def engine():
    made = create_engine("sqlite://")
    metadata.create_all(made)
    with made.begin() as db:
        db.execute(insert(people), [{"name": "ada", "visits": 1}, {"name": "bea", "visits": 2}])
    yield made
    made.dispose()


def statements(engine) -> list[str]:
    seen = []
    event.listen(engine, "before_cursor_execute", lambda *args: seen.append(args[2].split()[0]))
    return seen


def table(engine) -> list[tuple]:
    with engine.connect() as db:
        return [tuple(row) for row in db.execute(select(people).order_by(people.c.name))]


def test_each_row_is_read_once_and_each_kind_of_change_written_once(engine):
    seen = statements(engine)
    with engine.begin() as db:
        rows = Rows(db)
        for _ in range(3):
            rows.update(people, "ada", visits=rows.one(people, "ada")["visits"] + 1)
        rows.insert(people, name="cal", note="new")
        rows.update(people, "cal", visits=5)
        rows.delete(people, "bea")
        rows.insert(people, name="dot")
        rows.delete(people, "dot")  # added and gone in one batch: never written
        assert seen == ["SELECT", "SELECT"], "ada and bea read once each; cal and dot taken as new"
        rows.write()
    assert seen == ["SELECT", "SELECT", "DELETE", "UPDATE", "INSERT"]
    assert table(engine) == [("ada", 4, None), ("cal", 5, "new")]


def test_a_row_deleted_and_inserted_again_is_updated(engine):
    with engine.begin() as db:
        rows = Rows(db)
        rows.delete(people, "ada")
        assert rows.get(people, "ada") is None
        rows.insert(people, name="ada", note="again")
        rows.write()
    assert table(engine) == [("ada", 0, "again"), ("bea", 2, None)]


def test_it_refuses_what_the_database_would(engine):
    with engine.begin() as db:
        rows = Rows(db)
        assert rows.update(people, "zed", visits=1) is False, "no row, as an UPDATE of none"
        with pytest.raises(LookupError):
            rows.one(people, "zed")
        rows.insert(people, name="cal")
        with pytest.raises(DuplicateRow):
            rows.insert(people, name="cal")
        with pytest.raises(KeyError):
            rows.update(people, "ada", colour="red")
        with pytest.raises(TypeError):
            rows.get(people, "ada", 1)


def test_a_row_taken_as_new_that_the_table_holds_fails_the_write(engine):
    with pytest.raises(IntegrityError):
        with engine.begin() as db:
            rows = Rows(db)
            rows.insert(people, name="bea")
            rows.write()
    assert table(engine) == [("ada", 1, None), ("bea", 2, None)]


def test_what_rows_cannot_do_as_an_update_would_is_refused_before_anything_is_written(engine):
    """A key changed in place, a table without a key read or changed, a default only the database
    or a function knows: each would write something other than the statements it stands for."""
    keyless = Table("visits_log", MetaData(), Column("name", String(20)), Column("at", Integer))
    made_elsewhere = Table("stamped", MetaData(), Column("name", String(20), primary_key=True),
                           Column("at", Integer, default=lambda: 1))
    with engine.begin() as db:
        rows = Rows(db)
        with pytest.raises(KeyError, match="key does not change"):
            rows.update(people, "ada", name="ann")
        with pytest.raises(TypeError, match="no key"):
            rows.update(keyless, at=2)
        with pytest.raises(TypeError, match="no key"):
            rows.delete(keyless)
        with pytest.raises(TypeError, match="defaults made elsewhere"):
            rows.insert(made_elsewhere, name="ada")
        rows.write()
    assert table(engine) == [("ada", 1, None), ("bea", 2, None)]
