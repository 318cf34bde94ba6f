"""A guide section in revisions: given facts, when a command, then facts (or a refusal)."""
import pytest

from content.domain import errors
from content.domain.facts import UPCASTERS, SectionPublished, SectionSubmitted, SectionWithdrawn, SectionWritten
from content.domain.guide import GuideSection


def given(*facts) -> GuideSection:
    section = GuideSection("guide-section-s")
    for fact in facts:
        section.apply(fact)
    return section


def written(revision, body="Words") -> SectionWritten:
    return SectionWritten(slug="s", revision=revision, title="T", body=body, position=1, restored_from=None)


def test_a_draft_written_from_the_latest_revision_is_the_next_one():
    section = given(written(1))
    assert section.write("s", "T", "New words", 1, based_on=1) == 2
    assert section.pending == [SectionWritten(slug="s", revision=2, title="T", body="New words", position=1,
                                              restored_from=None)]


def test_a_draft_written_from_a_stale_revision_is_refused_with_the_current_number():
    section = given(written(1), written(2))
    with pytest.raises(errors.RevisionConflict) as refused:
        section.write("s", "T", "Mine", 1, based_on=1)
    assert refused.value.current == 2 and "current revision is 2" in str(refused.value)
    assert section.pending == []


def test_submitting_twice_is_refused_and_an_unknown_revision_is_not_found():
    section = given(written(1), SectionSubmitted(slug="s", revision=1))
    with pytest.raises(errors.AlreadySubmitted):
        section.submit("s", 1)
    with pytest.raises(errors.NoSuchRevision):
        section.submit("s", 7)


def test_publishing_the_live_revision_again_records_nothing():
    section = given(written(1), written(2), SectionPublished(slug="s", revision=1))
    section.publish("s", 1)
    assert section.pending == []
    section.publish("s", 2)
    assert section.pending == [SectionPublished(slug="s", revision=2)]


def test_withdrawing_needs_a_live_revision():
    section = given(written(1), SectionPublished(slug="s", revision=1))
    section.withdraw("s")
    assert section.pending == [SectionWithdrawn(slug="s", revision=1)]
    with pytest.raises(errors.NothingToWithdraw):
        section.withdraw("s")


def test_restoring_writes_the_earlier_words_as_a_new_revision():
    section = given(written(1, "First words"), written(2, "Second words"))
    assert section.restore("s", 1, based_on=2) == 3
    assert section.pending == [SectionWritten(slug="s", revision=3, title="T", body="First words", position=1,
                                              restored_from=1)]


def test_a_revision_stored_before_easy_read_versions_is_read_as_a_standard_section():
    stored_v1 = {"slug": "s", "revision": 1, "title": "T", "body": "B", "position": 1}
    upcast = UPCASTERS[("SectionWritten", 2)](UPCASTERS[("SectionWritten", 1)](stored_v1))
    assert SectionWritten(**upcast) == SectionWritten(slug="s", revision=1, title="T", body="B", position=1,
                                                      restored_from=None, easy_read_of=None)


def test_a_section_is_never_its_own_easy_read_version():
    with pytest.raises(errors.NotItsOwnEasyRead):
        given().write("s", "T", "B", 1, based_on=0, easy_read_of="s")
