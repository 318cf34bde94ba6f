"""Why registration refuses a command; each error's text is fit to show the person who asked."""
from shared.errors import DomainError, NotFound


class ActivityNotFound(NotFound):
    def __init__(self, activity_id: str):
        super().__init__(f"There is no activity {activity_id}.")


class RegistrationNotFound(NotFound):
    def __init__(self, registration_id: str):
        super().__init__(f"There is no registration {registration_id} for this activity.")


class OrganisationNotFound(NotFound):
    def __init__(self, organisation_id: str):
        super().__init__(f"organisation_id: there is no organisation {organisation_id}.")


class OrganisationExists(DomainError):
    def __init__(self, organisation_id: str):
        super().__init__(f"Organisation {organisation_id} already exists.")


class ActivityExists(DomainError):
    def __init__(self, activity_id: str):
        super().__init__(f"Activity {activity_id} already exists.")


class NotOpen(DomainError):
    def __init__(self):
        super().__init__("This activity is not open for registration.")


class AlreadyOpen(DomainError):
    def __init__(self):
        super().__init__("This activity is already open.")


class AlreadyStarted(DomainError):
    def __init__(self):
        super().__init__("This activity has already started, so it cannot be opened.")


class RegistrationClosed(DomainError):
    def __init__(self):
        super().__init__("Registration has closed: this activity has already started.")


class ActivityIsCancelled(DomainError):
    def __init__(self):
        super().__init__("This activity has been cancelled.")


class CapacityBelowConfirmed(DomainError):
    def __init__(self, capacity: int, confirmed: int):
        super().__init__(f"The capacity cannot be {capacity}: {confirmed} places are already confirmed.")
        self.capacity, self.confirmed = capacity, confirmed


class NotConfirmed(DomainError):
    def __init__(self):
        super().__init__("Only a confirmed place can be checked in.")


class AlreadyCancelled(DomainError):
    def __init__(self):
        super().__init__("This registration has already been cancelled.")


class EndsBeforeItStarts(DomainError):
    status = 422

    def __init__(self):
        super().__init__("An activity must end after it starts.")
