"""What people ask registration to do, in the imperative; each carries who asked (its actor)."""
from dataclasses import dataclass

from shared.commands import Command
from shared.contracts.registration import ActivityDetails


@dataclass(frozen=True, kw_only=True)
class DraftActivity(Command):
    activity_id: str
    details: ActivityDetails
    capacity: int
    open_now: bool = False


@dataclass(frozen=True, kw_only=True)
class OpenActivity(Command):
    activity_id: str


@dataclass(frozen=True, kw_only=True)
class Register(Command):
    activity_id: str
    name: str
    email: str
    organisation: str = ""
    access_needs: str = ""
