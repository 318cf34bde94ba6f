"""Writing in revisions, the same for the guide's sections, posts and case studies: contributors
write drafts, preview and submit them; editors (and admins) also publish a revision, withdraw the live
one, schedule a publication and restore an earlier revision. Nothing here is public: drafts are only
ever seen with a token. `revisions_blueprint` makes the endpoints for one kind of writing."""
import re
from dataclasses import dataclass
from datetime import timezone
from typing import Callable

from flask import abort, current_app

from shared.api import ADMIN, Blueprint, current_actor, requires
from shared.timefmt import LONDON, in_london

from content import text
from content.checks import editorial_checks
from content.api.guide.schemas import SLUG, PreviewOut, RestoreIn, ScheduleIn, ScheduleOut, Written
from content.api.roles import CONTRIBUTOR, EDITOR
from content.domain.commands import (CancelScheduledPublication, PublishRevision, RestoreRevision, SchedulePublication,
                                     SubmitRevision, WithdrawLiveRevision)
from content.domain.errors import NoSuchRevision

WRITERS = (ADMIN.name, EDITOR.name, CONTRIBUTOR.name)
PUBLISHERS = (ADMIN.name, EDITOR.name)


@dataclass(frozen=True)
class Kind:
    """One kind of writing, as the API handles it."""
    name: str  # the commands' kind: section, post, case_study
    label: str  # "Section", "Post", "Case study"
    draft: type  # the schema of a draft
    revision_out: type  # the schema of a revision
    write: Callable  # (actor, slug, draft) -> the command that writes it
    history: Callable  # (db, slug) -> every revision
    find: Callable  # (db, slug, revision) -> one revision or None
    scheduled: Callable  # (db, slug) -> the scheduled publication or None


def _service():
    return current_app.extensions["content"]


def _checked(slug: str) -> str:
    if not re.fullmatch(SLUG, slug) or len(slug) > 100:
        abort(422, "slug: use lowercase letters, digits and single hyphens, at most 100 characters.")
    return slug


def _number(what: str, revision: str) -> int:
    """Revision numbers are matched as text so that a request with a path that is not a number is
    still authenticated first (Flask's int converter would answer 404 before any token is looked at)."""
    if not revision.isdecimal() or len(revision) > 9:
        raise NoSuchRevision(what, revision)
    return int(revision)


def revisions_blueprint(kind: Kind, name: str, url_prefix: str, description: str) -> Blueprint:
    blueprint = Blueprint(name, __name__, url_prefix=url_prefix, description=description)

    def handle(command_class, slug, **fields):
        return _service().handle(command_class(actor=current_actor(), kind=kind.name, slug=slug, **fields))

    def number(slug: str, revision: str) -> int:
        return _number(f"{kind.label} {slug}", revision)

    @blueprint.post("/<slug>/revisions")
    @requires(*WRITERS)
    @blueprint.arguments(kind.draft)
    @blueprint.response(201, Written)
    def write(draft, slug):
        """A new draft revision, written from the revision `based_on`."""
        revision = _service().handle(kind.write(current_actor(), _checked(slug), draft))
        return {"slug": slug, "revision": revision}

    @blueprint.get("/<slug>/revisions")
    @requires(*WRITERS)
    @blueprint.response(200, kind.revision_out(many=True))
    def history(slug):
        with _service().runtime.engine.connect() as db:
            return kind.history(db, slug)

    @blueprint.get("/<slug>/revisions/<revision>/preview")
    @requires(*WRITERS)
    @blueprint.response(200, PreviewOut)
    def preview(slug, revision):
        """The revision rendered as readers would see it once published, marked as a preview, with the
        editorial checks' findings (nudges before publishing, never a block)."""
        revision = number(slug, revision)
        with _service().runtime.engine.connect() as db:
            found = kind.find(db, slug, revision)
        if found is None:
            raise NoSuchRevision(f"{kind.label} {slug}", revision)
        return {"slug": slug, "revision": revision, "preview": True, "title": found["title"],
                "html": text.render(found["body"]), "checks": editorial_checks(found["body"])}

    @blueprint.post("/<slug>/revisions/<revision>/submit")
    @requires(*WRITERS)
    @blueprint.response(204)
    def submit(slug, revision):
        handle(SubmitRevision, slug, revision=number(slug, revision))

    @blueprint.post("/<slug>/revisions/<revision>/publish")
    @requires(*PUBLISHERS)
    @blueprint.response(204)
    def publish(slug, revision):
        handle(PublishRevision, slug, revision=number(slug, revision))

    @blueprint.post("/<slug>/revisions/<revision>/restore")
    @requires(*WRITERS)
    @blueprint.arguments(RestoreIn)
    @blueprint.response(201, Written)
    def restore(body, slug, revision):
        """The earlier revision written again as the newest draft."""
        return {"slug": slug, "revision": handle(RestoreRevision, slug, revision=number(slug, revision), **body)}

    @blueprint.post("/<slug>/withdraw")
    @requires(*PUBLISHERS)
    @blueprint.response(204)
    def withdraw(slug):
        handle(WithdrawLiveRevision, slug)

    @blueprint.put("/<slug>/schedule")
    @requires(*PUBLISHERS)
    @blueprint.arguments(ScheduleIn)
    @blueprint.response(200, ScheduleOut)
    def schedule(body, slug):
        """Publish a revision at a time given in UK time; stored in UTC. Replaces any earlier schedule."""
        at = body["publish_at"] if body["publish_at"].tzinfo else body["publish_at"].replace(tzinfo=LONDON)
        if at <= _service().runtime.clock():
            abort(422, "publish_at: give a time in the future (UK time).")
        handle(SchedulePublication, slug, revision=body["revision"], at=at.astimezone(timezone.utc))
        return {"slug": slug, "revision": body["revision"], "publish_at": in_london(at)}

    @blueprint.get("/<slug>/schedule")
    @requires(*WRITERS)
    @blueprint.response(200, ScheduleOut)
    def scheduled(slug):
        """The revision due to be published, and when, in UK time; 404 when none is."""
        with _service().runtime.engine.connect() as db:
            found = kind.scheduled(db, slug)
        if found is None:
            abort(404, f"{kind.label} {slug} has no publication scheduled.")
        return {"slug": slug, "revision": found["revision"], "publish_at": in_london(found["publish_at"])}

    @blueprint.delete("/<slug>/schedule")
    @requires(*PUBLISHERS)
    @blueprint.response(204)
    def unschedule(slug):
        handle(CancelScheduledPublication, slug)

    return blueprint
