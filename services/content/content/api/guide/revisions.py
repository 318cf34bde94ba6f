"""The guide's sections in revisions (content.api.revisions), under /api/guide/sections/<slug>/."""
from content.api.guide.schemas import DraftIn, RevisionOut
from content.api.revisions import Kind, revisions_blueprint
from content.domain.commands import SECTION, WriteSection
from content.projections import find_revision, scheduled_publication, section_revisions

SECTIONS = Kind(name=SECTION, label="Section", draft=DraftIn, revision_out=RevisionOut,
                write=lambda actor, slug, draft: WriteSection(actor=actor, slug=slug, **draft),
                history=section_revisions, find=find_revision, scheduled=scheduled_publication)
blueprint = revisions_blueprint(SECTIONS, "guide-revisions", "/api/guide/sections",
                                "Revisions of the guide's sections: drafts, review, publishing")
