"""What editors ask content to do, in the imperative; each carries who asked (its actor)."""
from dataclasses import dataclass
from datetime import datetime

from shared.commands import Command


@dataclass(frozen=True, kw_only=True)
class WriteSection(Command):
    slug: str
    title: str
    body: str  # Markdown
    position: int
    publish: bool = False
    based_on: int | None = None  # the revision the writer started from (0: a new section); None: unchecked


@dataclass(frozen=True, kw_only=True)
class SubmitRevision(Command):
    slug: str
    revision: int


@dataclass(frozen=True, kw_only=True)
class PublishRevision(Command):
    slug: str
    revision: int


@dataclass(frozen=True, kw_only=True)
class WithdrawSection(Command):
    slug: str


@dataclass(frozen=True, kw_only=True)
class RestoreRevision(Command):
    """Write an earlier revision again, as the newest one (a draft, to be published as any other)."""
    slug: str
    revision: int
    based_on: int


@dataclass(frozen=True, kw_only=True)
class SchedulePublication(Command):
    slug: str
    revision: int
    at: datetime  # aware


@dataclass(frozen=True, kw_only=True)
class CancelScheduledPublication(Command):
    slug: str
