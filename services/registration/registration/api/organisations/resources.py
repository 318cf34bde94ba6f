"""The network's member organisations, for admins: create one, list them, and issue an organiser's
token for one (the token acts for that organisation's activities only; it is in this answer only).
An organisation is a fact in registration's log; a token is issued only for one that exists there."""
import uuid

from flask import current_app

from shared.api import ADMIN, Blueprint, current_actor, requires
from shared.api.paging import PAGED, PageQuery, first_item, page_of
from shared.api.tokens import TokenIssued

from registration.api.access import service
from registration.api.organisations.schemas import ORGANISATION_ID, OrganisationIn, OrganisationOut, OrganiserTokenIn
from registration.api.roles import ORGANISER
from registration.domain.commands import CreateOrganisation
from registration.domain.errors import OrganisationNotFound
from registration.domain.organisation import Organisation, stream_id
from registration.projections import list_organisations

blueprint = Blueprint("organisations", __name__, url_prefix="/api/organisations",
                      description="Member organisations and their organisers' tokens (admin)")


@blueprint.post("")
@requires(ADMIN.name)
@blueprint.arguments(OrganisationIn)
@blueprint.response(201, OrganisationOut)
def create(data):
    organisation_id = data["organisation_id"] or str(uuid.uuid4())
    service().handle(CreateOrganisation(actor=current_actor(), organisation_id=organisation_id, name=data["name"]))
    return {"organisation_id": organisation_id, "name": data["name"], "created_at": service().runtime.clock()}


@blueprint.get("")
@requires(ADMIN.name)
@blueprint.arguments(PageQuery, location="query", unknown=None)
@blueprint.response(200, OrganisationOut(many=True), **PAGED)
def list_all(query):
    """By name. Pages: ?page=1&page_size=20, the total in X-Pagination."""
    with service().runtime.engine.connect() as db:
        found, total = list_organisations(db, first_item(query), query["page_size"])
    return page_of(found, total, query)


@blueprint.post("/<organisation_id>/tokens")
@requires(ADMIN.name)
@blueprint.arguments(OrganiserTokenIn)
@blueprint.response(201, TokenIssued)
def issue_organiser_token(data, organisation_id):
    """An organiser's token for this organisation (404 naming it if there is none), shown this once."""
    _existing(organisation_id)
    runtime = current_app.extensions["runtime"]
    with runtime.engine.begin() as db:
        record, token = runtime.tokens.issue(db, data["name"], ORGANISER.name, organisation_id, runtime.clock())
    return {**record.__dict__, "token": token}


def _existing(organisation_id: str) -> Organisation:
    """The organisation as its stream has it (a create a moment ago counts); OrganisationNotFound otherwise."""
    if not ORGANISATION_ID.fullmatch(organisation_id):
        raise OrganisationNotFound(organisation_id)
    runtime = service().runtime
    with runtime.engine.connect() as db:
        found = runtime.repository(Organisation).get(db, stream_id(organisation_id))
    found.require_exists()
    return found
