"""A member organisation of the network, which runs activities: created once by network staff, under
an id that its organisers' tokens and its activities name."""
from shared.aggregate import Aggregate

from registration.domain import errors
from registration.domain.facts import FACTS, OrganisationCreated

STREAM_PREFIX = "organisation-"


def stream_id(organisation_id: str) -> str:
    return f"{STREAM_PREFIX}{organisation_id}"


class Organisation(Aggregate):
    facts = FACTS

    def __init__(self, stream: str):
        super().__init__(stream)
        self.name: str | None = None

    @property
    def exists(self) -> bool:
        return self.name is not None

    @property
    def organisation_id(self) -> str:
        return self.stream_id.removeprefix(STREAM_PREFIX)

    def create(self, name: str) -> None:
        if self.exists:
            raise errors.OrganisationExists(self.organisation_id)
        self.record(OrganisationCreated(self.organisation_id, name))

    def require_exists(self) -> None:
        if not self.exists:
            raise errors.OrganisationNotFound(self.organisation_id)

    def apply(self, fact) -> None:
        if isinstance(fact, OrganisationCreated):
            self.name = fact.name
