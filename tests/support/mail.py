"""Queuing a confirmation mail as notifications' worker would, for tests of the mailer."""
from tests.support.consuming import handle_directly
from tests.support.messages import activity_opened_message, make_confirmed_message


def queue_mail(service, email: str) -> None:
    handle_directly(service, activity_opened_message(), make_confirmed_message(email=email))
