"""Personal data is sealed per person; forgetting the person destroys the only key."""
import pytest
from sqlalchemy import MetaData, select

from shared.database import create_tables, make_engine
from shared.personal_data import PersonalDataVault


@pytest.fixture
def vault_and_engine(tmp_path):
    metadata = MetaData()
    vault = PersonalDataVault(metadata, "a test secret")
    engine = make_engine(f"sqlite:///{tmp_path / 'vault.db'}")
    create_tables(engine, metadata)
    yield vault, engine
    engine.dispose()


def test_sealed_values_open_with_the_persons_key_and_hide_the_data(vault_and_engine):
    vault, engine = vault_and_engine
    with engine.begin() as db:
        person = vault.person_for_email(db, "Ada@Example.org ")
        sealed = vault.seal(db, person, {"name": "Ada Example"})
        assert "Ada" not in sealed
        assert vault.unseal(db, person, sealed) == {"name": "Ada Example"}
        assert vault.person_for_email(db, "ada@example.org") == person
        stored = " ".join(str(row) for row in db.execute(select(vault.keys)))
    assert "Ada" not in stored


def test_a_forgotten_person_reads_as_nothing_even_if_they_come_back(vault_and_engine):
    vault, engine = vault_and_engine
    with engine.begin() as db:
        person = vault.person_for_email(db, "ada@example.org")
        sealed = vault.seal(db, person, {"name": "Ada"})
        vault.forget(db, person)
        assert vault.unseal(db, person, sealed) is None
        assert vault.person_for_email(db, "ada@example.org") != person
        vault.seal(db, person, {"name": "someone new under the old id"})
        assert vault.unseal(db, person, sealed) is None


def test_a_value_sealed_for_one_person_does_not_open_for_another(vault_and_engine):
    vault, engine = vault_and_engine
    with engine.begin() as db:
        ada, bob = (vault.person_for_email(db, f"{n}@example.org") for n in ("ada", "bob"))
        vault.seal(db, bob, {"name": "Bob"})
        assert vault.unseal(db, bob, vault.seal(db, ada, {"name": "Ada"})) is None


def test_many_values_open_together_in_order_the_forgotten_as_nothing(vault_and_engine, monkeypatch):
    monkeypatch.setattr("shared.personal_data.KEYS_PER_QUERY", 2)  # so that the keys take several queries
    vault, engine = vault_and_engine
    with engine.begin() as db:
        people = [vault.person_for_email(db, f"p{n}@example.org") for n in range(5)]
        sealed = [(person, vault.seal(db, person, {"n": n})) for n, person in enumerate(people)]
        sealed.append((people[0], vault.seal(db, people[0], {"n": "again"})))
        vault.forget(db, people[3])
        assert vault.unseal_all(db, sealed) == [{"n": 0}, {"n": 1}, {"n": 2}, None, {"n": 4}, {"n": "again"}]
        assert vault.unseal_all(db, []) == []
