"""Facts name their stored type and version; value objects and moments survive the round trip."""
from dataclasses import dataclass
from datetime import datetime, timezone

import pytest

from shared.contracts.registration import ActivityDetails
from shared.facts import Fact, facts_by_type

STARTS = datetime(2030, 11, 18, 10, tzinfo=timezone.utc)


@dataclass(frozen=True)
class Listed(Fact, type_name="Listed", version=3):
    activity_id: str
    details: ActivityDetails


def test_the_stored_type_is_declared_not_taken_from_the_class_name():
    renamed = type("RenamedListed", (Listed,), {}, type_name="Listed", version=3)
    assert (renamed.type_name, renamed.schema_version) == ("Listed", 3)
    with pytest.raises(TypeError, match="must name the type it is stored as"):
        type("Nameless", (Fact,), {})


def test_two_classes_stored_under_one_name_are_refused():
    twin = dataclass(frozen=True)(type("Twin", (Fact,), {"__annotations__": {"x": int}}, type_name="Listed"))
    with pytest.raises(TypeError, match="both stored as Listed"):
        facts_by_type(Listed, twin)


def test_a_value_object_and_its_moments_come_back_as_they_went_in():
    details = ActivityDetails(organiser="Org", title="T", summary="", starts_at=STARTS, ends_at=STARTS,
                              attendance="online", venue="", region="")
    fact = Listed(activity_id="a1", details=details)
    data = fact.to_data()
    assert data["details"]["starts_at"] == "2030-11-18T10:00:00+00:00"
    assert Listed.from_data(data) == fact
