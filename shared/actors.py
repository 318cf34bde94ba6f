"""Who asks for a command: a member of the public, an API token (with its role and, for an
organiser, its organisation) or another service. Every command carries one, and every fact records
it in its metadata, so that history can say who did what."""
from dataclasses import dataclass


@dataclass(frozen=True)
class Actor:
    kind: str  # person | token | service | system
    name: str  # the token's name, the service's name, "the person", "demo"
    role: str = ""  # admin | organiser | editor | contributor (tokens only)
    organisation: str = ""  # an organiser token's organisation id

    @classmethod
    def person(cls) -> "Actor":
        return cls("person", "the person")

    @classmethod
    def service(cls, name: str) -> "Actor":
        return cls("service", name)

    @classmethod
    def system(cls, name: str) -> "Actor":
        """The service's own loops and commands (mailer, scheduler, demo loader)."""
        return cls("system", name)

    @classmethod
    def token(cls, name: str, role: str, organisation: str = "") -> "Actor":
        return cls("token", name, role, organisation)

    @property
    def label(self) -> str:
        """How history shows it: the token's name, "the person", or the service."""
        return self.name

    def as_metadata(self) -> dict:
        return {"kind": self.kind, "name": self.name, "role": self.role, "organisation": self.organisation}
