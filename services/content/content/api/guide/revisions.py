"""Writing the guide in revisions: contributors write drafts, preview and submit them; editors
(and admins) also publish a revision, withdraw the live one and restore an earlier one. Nothing here
is public: drafts are only ever seen with a token."""
import re
from datetime import timezone

from flask import abort, current_app

from shared.api import ADMIN, Blueprint, current_actor, requires
from shared.timefmt import LONDON, in_london

from content import text
from content.api.guide.schemas import (SLUG, DraftIn, PreviewOut, RestoreIn, RevisionOut, ScheduleIn, ScheduleOut,
                                       Written)
from content.api.roles import CONTRIBUTOR, EDITOR
from content.domain.commands import (CancelScheduledPublication, PublishRevision, RestoreRevision, SchedulePublication,
                                     SubmitRevision, WithdrawSection, WriteSection)
from content.domain.errors import NoSuchRevision
from content.projections import find_revision, scheduled_publication, section_revisions

blueprint = Blueprint("guide-revisions", __name__, url_prefix="/api/guide/sections",
                      description="Revisions of the guide's sections: drafts, review, publishing")
WRITERS = (ADMIN.name, EDITOR.name, CONTRIBUTOR.name)
PUBLISHERS = (ADMIN.name, EDITOR.name)


def _service():
    return current_app.extensions["content"]


def _checked(slug: str) -> str:
    if not re.fullmatch(SLUG, slug) or len(slug) > 100:
        abort(422, "slug: use lowercase letters, digits and single hyphens, at most 100 characters.")
    return slug


def _number(slug: str, revision: str) -> int:
    """Revision numbers are matched as text so that a request with a path that is not a number is
    still authenticated first (Flask's int converter would answer 404 before any token is looked at)."""
    if not revision.isdecimal() or len(revision) > 9:
        raise NoSuchRevision(slug, revision)
    return int(revision)


@blueprint.post("/<slug>/revisions")
@requires(*WRITERS)
@blueprint.arguments(DraftIn)
@blueprint.response(201, Written)
def write(draft, slug):
    """A new draft revision, written from the revision `based_on`."""
    revision = _service().handle(WriteSection(actor=current_actor(), slug=_checked(slug), **draft))
    return {"slug": slug, "revision": revision}


@blueprint.get("/<slug>/revisions")
@requires(*WRITERS)
@blueprint.response(200, RevisionOut(many=True))
def history(slug):
    with _service().runtime.engine.connect() as db:
        return section_revisions(db, slug)


@blueprint.get("/<slug>/revisions/<revision>/preview")
@requires(*WRITERS)
@blueprint.response(200, PreviewOut)
def preview(slug, revision):
    """The revision rendered as readers would see it once published; marked as a preview."""
    revision = _number(slug, revision)
    with _service().runtime.engine.connect() as db:
        found = find_revision(db, slug, revision)
    if found is None:
        raise NoSuchRevision(slug, revision)
    return {"slug": slug, "revision": revision, "preview": True, "title": found["title"],
            "html": text.render(found["body"])}


@blueprint.post("/<slug>/revisions/<revision>/submit")
@requires(*WRITERS)
@blueprint.response(204)
def submit(slug, revision):
    _service().handle(SubmitRevision(actor=current_actor(), slug=slug, revision=_number(slug, revision)))


@blueprint.post("/<slug>/revisions/<revision>/publish")
@requires(*PUBLISHERS)
@blueprint.response(204)
def publish(slug, revision):
    _service().handle(PublishRevision(actor=current_actor(), slug=slug, revision=_number(slug, revision)))


@blueprint.post("/<slug>/revisions/<revision>/restore")
@requires(*WRITERS)
@blueprint.arguments(RestoreIn)
@blueprint.response(201, Written)
def restore(body, slug, revision):
    """The earlier revision written again as the newest draft."""
    written = _service().handle(RestoreRevision(actor=current_actor(), slug=slug, revision=_number(slug, revision),
                                                        **body))
    return {"slug": slug, "revision": written}


@blueprint.post("/<slug>/withdraw")
@requires(*PUBLISHERS)
@blueprint.response(204)
def withdraw(slug):
    _service().handle(WithdrawSection(actor=current_actor(), slug=slug))


@blueprint.put("/<slug>/schedule")
@requires(*PUBLISHERS)
@blueprint.arguments(ScheduleIn)
@blueprint.response(200, ScheduleOut)
def schedule(body, slug):
    """Publish a revision at a time given in UK time; stored in UTC. Replaces any earlier schedule."""
    at = body["publish_at"] if body["publish_at"].tzinfo else body["publish_at"].replace(tzinfo=LONDON)
    if at <= _service().runtime.clock():
        abort(422, "publish_at: give a time in the future (UK time).")
    _service().handle(SchedulePublication(actor=current_actor(), slug=slug, revision=body["revision"],
                                          at=at.astimezone(timezone.utc)))
    return {"slug": slug, "revision": body["revision"], "publish_at": in_london(at)}


@blueprint.get("/<slug>/schedule")
@requires(*WRITERS)
@blueprint.response(200, ScheduleOut)
def scheduled(slug):
    """The revision due to be published, and when, in UK time; 404 when none is."""
    with _service().runtime.engine.connect() as db:
        found = scheduled_publication(db, slug)
    if found is None:
        abort(404, f"Section {slug} has no publication scheduled.")
    return {**found, "publish_at": in_london(found["publish_at"])}


@blueprint.delete("/<slug>/schedule")
@requires(*PUBLISHERS)
@blueprint.response(204)
def unschedule(slug):
    _service().handle(CancelScheduledPublication(actor=current_actor(), slug=slug))
