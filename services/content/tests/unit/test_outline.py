"""The guide's outline: a revision naming a parent is checked against every section's latest revision."""
import pytest

from content.domain import errors
from content.domain.facts import UPCASTERS, SectionWritten
from content.domain.guide import GuideSection
from content.domain.outline import Outline, Placed

OUTLINE = Outline({"top": Placed(None, None), "sub": Placed("top", None), "easy": Placed(None, "top"),
                   "alone": Placed(None, None)})


def write(slug="new", parent=None, easy_read_of=None):
    section = GuideSection(f"guide-section-{slug}")
    section.write(slug, "T", "B", 1, based_on=0, easy_read_of=easy_read_of, parent=parent, outline=OUTLINE)
    return section.pending


def test_a_sub_section_of_a_top_level_standard_section_is_written_with_its_parent():
    assert write(parent="top") == [SectionWritten(slug="new", revision=1, title="T", body="B", position=1,
                                                  restored_from=None, easy_read_of=None, parent="top")]


@pytest.mark.parametrize("slug, parent, easy_read_of", [
    ("new", "new", None), ("new", "missing", None), ("new", "sub", None), ("new", "easy", None),
    ("top", "alone", None), ("top", "sub", None), ("new", "top", "alone")])
def test_a_parent_that_breaks_the_outline_is_refused(slug, parent, easy_read_of):
    with pytest.raises(errors.NotASubSection, match="^parent: "):
        write(slug, parent, easy_read_of)


def test_a_section_with_sub_sections_is_not_made_an_easy_read_version():
    with pytest.raises(errors.HasSubSections, match="^easy_read_of: "):
        write("top", easy_read_of="alone")


def test_the_outline_follows_each_sections_latest_revision():
    outline = Outline.of([{"slug": "a", "parent": "b", "easy_read_of": None},
                          {"slug": "a", "parent": None, "easy_read_of": None}])
    assert outline.children("b") == []


def test_a_revision_stored_before_sub_sections_is_read_with_no_parent():
    stored_v3 = {"slug": "s", "revision": 1, "title": "T", "body": "B", "position": 1, "restored_from": None,
                 "easy_read_of": "t"}
    assert SectionWritten(**UPCASTERS[("SectionWritten", 3)](stored_v3)) == SectionWritten(
        slug="s", revision=1, title="T", body="B", position=1, restored_from=None, easy_read_of="t", parent=None)


def test_an_earlier_revision_is_restored_only_where_the_outline_still_allows():
    section = GuideSection("guide-section-new")
    section.apply(SectionWritten(slug="new", revision=1, title="T", body="B", position=1, restored_from=None,
                                 parent="sub"))
    with pytest.raises(errors.NotASubSection, match="itself a sub-section"):
        section.restore("new", 1, based_on=1, outline=OUTLINE)
