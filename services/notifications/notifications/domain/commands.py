"""What admins ask notifications to do, in the imperative; each carries who asked (its actor)."""
from dataclasses import dataclass

from shared.commands import Command


@dataclass(frozen=True, kw_only=True)
class ResolveMail(Command):
    """A person's answer for a mail whose outcome is unknown: it arrived, or send it again (with the
    same Message-ID, so that a receiving system can drop a second copy)."""
    mail_id: str
    arrived: bool


@dataclass(frozen=True, kw_only=True)
class Unsubscribe(Command):
    """Take a person off the announcements list (and their address off optional mail); nothing else."""
    person_id: str
    how: str  # one-click | page


@dataclass(frozen=True, kw_only=True)
class ResendMail(Command):
    """Send a finished mail again, as a new mail linked to the first (never a silent duplicate)."""
    mail_id: str
