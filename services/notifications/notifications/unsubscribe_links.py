"""The one-click unsubscribe link every announcement carries (List-Unsubscribe, RFC 8058, and the
mail's own text). It carries the person id only, signed by the service (itsdangerous, with a key
derived from SECRET_KEY for this purpose alone, as registration's manage links are), so that nobody
can take someone else off the list. It does not expire: a link in an old mail must still work.
"""
from itsdangerous import BadSignature, URLSafeSerializer

from shared.personal_data import derive_key
from shared.settings import SettingsError

from notifications.composer import UNSUBSCRIBE_URL

PURPOSE = "notifications:unsubscribe"


class UnsubscribeLinks:
    def __init__(self, secret_key: str, public_url: str):
        self.signer = URLSafeSerializer(derive_key(secret_key, PURPOSE).hex(), salt=PURPOSE)
        self.public_url = public_url.rstrip("/")

    def url(self, person_id: str) -> str:
        return f"{self.public_url}/unsubscribe/{self.signer.dumps(person_id)}"

    def read(self, token: str) -> str | None:
        """The person id, or None for a link we did not sign."""
        try:
            found = self.signer.loads(token)
        except BadSignature:
            return None
        return found if isinstance(found, str) else None


def unsubscribe_links(settings) -> UnsubscribeLinks:
    return UnsubscribeLinks(settings.secret_key, settings.public_url)


def check_public_url(settings) -> None:
    """Refuse to start with a public address no List-Unsubscribe header could carry."""
    if not UNSUBSCRIBE_URL.fullmatch(unsubscribe_links(settings).url("00000000-0000-0000-0000-000000000000")):
        raise SettingsError("NOTIFICATIONS_PUBLIC_URL must be http(s)://host[:port][/path] in plain URL characters "
                            "(no query, no spaces): every unsubscribe link starts with it")
