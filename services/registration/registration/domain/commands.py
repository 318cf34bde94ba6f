"""What people ask registration to do, in the imperative."""
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class DraftActivity:
    activity_id: str
    organiser: str
    title: str
    summary: str
    starts_at: datetime
    ends_at: datetime
    attendance: str
    venue: str
    region: str
    capacity: int


@dataclass(frozen=True)
class OpenActivity:
    activity_id: str


@dataclass(frozen=True)
class Register:
    activity_id: str
    name: str
    email: str
    organisation: str = ""
    access_needs: str = ""
