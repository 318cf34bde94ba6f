"""Why content refuses a command; each error's text is fit to show the person who asked. `what` names
the piece of writing: "Section meetings", "Post week-ahead", "Case study tenants-first"."""
from shared.errors import DomainError, NotFound


class NothingToPublish(DomainError):
    def __init__(self, what: str):
        super().__init__(f"{what} has no revision to publish.")


class RevisionConflict(DomainError):
    """Saved from a revision that is no longer the latest: someone else saved in between."""

    def __init__(self, what: str, current: int):
        super().__init__(f"{what} has changed since you read it: the current revision is {current}. "
                         f"Read it, then save again.")
        self.current = current


class NoSuchRevision(NotFound):
    def __init__(self, what: str, revision: int):
        super().__init__(f"{what} has no revision {revision}.")


class NothingToWithdraw(DomainError):
    def __init__(self, what: str):
        super().__init__(f"{what} has no published revision to withdraw.")


class AlreadySubmitted(DomainError):
    def __init__(self, what: str, revision: int):
        super().__init__(f"Revision {revision} of {what} is already submitted or published.")


class NothingScheduled(DomainError):
    def __init__(self, what: str):
        super().__init__(f"{what} has no publication scheduled.")


class NotItsOwnEasyRead(DomainError):
    def __init__(self, slug: str):
        super().__init__(f"easy_read_of: section {slug} cannot be the Easy Read version of itself.")


class NotASubSection(DomainError):
    """A sub-section's parent must be a top-level standard section of the guide: one level deep, like a
    printed guide. `reason` says which rule the request broke."""

    def __init__(self, slug: str, parent: str, reason: str):
        super().__init__(f"parent: section {slug} cannot be a sub-section of {parent}: {reason}.")


class HasSubSections(DomainError):
    def __init__(self, slug: str):
        super().__init__(f"easy_read_of: section {slug} has sub-sections; an Easy Read version cannot have any.")
