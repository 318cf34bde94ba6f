"""Why content refuses a command; each error's text is fit to show the person who asked."""
from shared.errors import DomainError


class NothingToPublish(DomainError):
    def __init__(self, slug: str):
        super().__init__(f"Section {slug} has no revision to publish.")
