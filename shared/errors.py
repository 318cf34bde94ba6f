"""Why a service refuses a command. Each error's text is fit to show the person who asked, and its
status is what the admin API answers (one translation, in shared/api.py); a page shows the text."""


class DomainError(Exception):
    status = 409  # a conflict with the state of things, unless a subclass says otherwise


class NotFound(DomainError):
    status = 404


class StaleVersion(DomainError):
    """An edit made from a version that is no longer the current one (If-Match did not match)."""
    status = 412

    def __init__(self, current_version: int):
        super().__init__(f"This was changed since you read it; the current version is {current_version}.")
        self.current_version = current_version
