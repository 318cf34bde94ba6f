"""Why registration refuses a command; each error's text is fit to show the person who asked."""


from shared import errors


class DomainError(errors.DomainError):
    """Registration's refusals; the API answers each with its status (shared.api.errors)."""


class ActivityNotFound(DomainError):
    status = 404

    def __init__(self, activity_id: str):
        super().__init__(f"There is no activity {activity_id}.")


class ActivityExists(DomainError):
    def __init__(self, activity_id: str):
        super().__init__(f"Activity {activity_id} already exists.")


class NotOpen(DomainError):
    def __init__(self):
        super().__init__("This activity is not open for registration.")


class AlreadyOpen(DomainError):
    def __init__(self):
        super().__init__("This activity is already open.")


class RegistrationClosed(DomainError):
    def __init__(self):
        super().__init__("Registration has closed: this activity has already started.")
