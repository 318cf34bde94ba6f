"""The link in a confirmation email with which a person manages their booking without an account.

It carries the registration id and the activity id only, signed by the service (itsdangerous, with a
key derived from SECRET_KEY for this purpose alone), so that nobody can make one for someone else's
booking. It lasts until the activity ends, as the activity stands when the link is used (a rescheduled
activity moves the end with it); after that the page answers as for a link that never existed.
"""
from itsdangerous import BadSignature, URLSafeSerializer

from shared.personal_data import derive_key

PURPOSE = "registration:manage-booking"


class ManageLinks:
    def __init__(self, secret_key: str, public_url: str):
        self.signer = URLSafeSerializer(derive_key(secret_key, PURPOSE).hex(), salt=PURPOSE)
        self.public_url = public_url.rstrip("/")

    def token(self, registration_id: str, activity_id: str) -> str:
        return self.signer.dumps([registration_id, activity_id])

    def url(self, registration_id: str, activity_id: str) -> str:
        return f"{self.public_url}/bookings/{self.token(registration_id, activity_id)}"

    def read(self, token: str) -> tuple[str, str] | None:
        """(registration_id, activity_id), or None for a link we did not sign."""
        try:
            found = self.signer.loads(token)
        except BadSignature:
            return None
        if not (isinstance(found, list) and len(found) == 2 and all(isinstance(part, str) for part in found)):
            return None
        return found[0], found[1]


def manage_links(settings) -> ManageLinks:
    return ManageLinks(settings.secret_key, settings.public_url)
