"""What editors ask content to do, in the imperative; each carries who asked (its actor)."""
from dataclasses import dataclass

from shared.commands import Command


@dataclass(frozen=True, kw_only=True)
class WriteSection(Command):
    slug: str
    title: str
    body: str  # Markdown
    position: int
    publish: bool = False
