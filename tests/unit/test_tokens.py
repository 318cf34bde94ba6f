"""API tokens: only a hash is kept, compared in constant time; revoked is refused; last use is
written at most once a minute."""
import hashlib
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import MetaData, create_engine, select

from shared import tokens
from shared.api.limits import nesting_depth
from shared.tokens import Tokens

NOW = datetime(2030, 11, 1, 9, tzinfo=timezone.utc)


@pytest.fixture
def store():
    metadata = MetaData()
    kept = Tokens(metadata)
    engine = create_engine("sqlite://")
    metadata.create_all(engine)
    with engine.begin() as db:
        yield kept, db


def test_a_token_is_32_random_bytes_and_only_its_sha256_is_stored(store):
    kept, db = store
    record, token = kept.issue(db, "laptop", "admin", "", NOW)
    secret = token.split("_", 2)[2]
    assert len(secret) == 43 and tokens.id_of(token) == record.id  # 43 base64url characters: 32 bytes
    stored = db.execute(select(kept.table)).one()
    assert stored.digest == hashlib.sha256(token.encode()).hexdigest() and token not in tuple(stored)


def test_two_tokens_are_never_the_same():
    assert len({tokens.new_token()[1] for _ in range(1000)}) == 1000


@pytest.mark.parametrize("supplied", ["x", "cpw_" + "0" * 32 + "_" + "a" * 43, "y" * 5000])
def test_the_comparison_is_constant_time_over_fixed_length_digests(monkeypatch, supplied):
    compared = []
    monkeypatch.setattr(tokens.hmac, "compare_digest", lambda a, b: compared.append((a, b)) or a == b)
    assert not tokens.same_token(supplied, tokens.digest("the real one"))
    assert [(len(a), len(b)) for a, b in compared] == [(64, 64)]


def test_a_token_resolves_until_it_is_revoked_and_a_wrong_secret_never_does(store):
    kept, db = store
    record, token = kept.issue(db, "organiser", "organiser", "Fife Network", NOW)
    assert kept.resolve(db, token, NOW).organisation == "Fife Network"
    assert kept.resolve(db, token[:-1] + ("A" if token[-1] != "A" else "B"), NOW) is None
    assert kept.revoke(db, record.id, NOW) and kept.resolve(db, token, NOW) is None
    assert not kept.revoke(db, "00000000-0000-0000-0000-000000000000", NOW)


def test_last_use_is_written_at_most_once_a_minute(store):
    kept, db = store
    _, token = kept.issue(db, "busy script", "admin", "", NOW)
    for seconds in (0, 10, 59, 61):
        kept.resolve(db, token, NOW + timedelta(seconds=seconds))
    assert kept.all(db)[0].last_used_at == NOW + timedelta(seconds=61)
    kept.resolve(db, token, NOW + timedelta(seconds=90))
    assert kept.all(db)[0].last_used_at == NOW + timedelta(seconds=61)


@pytest.mark.parametrize("raw, depth", [(b"{}", 1), (b"[]", 1), (b'{"a": [1, {"b": []}]}', 4), (b"[[], [[]]]", 3),
                                        (b'["[[[[", "\\"[["]', 1)])
def test_nesting_is_counted_outside_strings_and_stops_once_too_deep(raw, depth):
    assert nesting_depth(raw) == depth


@pytest.mark.parametrize("raw", [b"[" * 50_000, b"[" * 33 + b"]" * 33, b"[" * 50_000 + b"}" * 50_000, b'{"a":' * 40 + b"1" + b"}" * 40])
def test_unmatched_or_deep_openings_count_as_deep(raw):
    assert nesting_depth(raw) > 32
