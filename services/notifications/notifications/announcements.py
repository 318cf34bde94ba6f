"""Announcements: the list of people who opted in, and one mail to each of them when something
worth telling is published.

What is announced is a mapping from a content message to its template, what it shows, what it is
(guide/<slug>/<revision>, post/<slug>, case-study/<slug>) and whether it is news: every revision of
a Guide section is; a post or a case study only when it is first published (`first`), never a later
revision of it. The mail id comes from what was published, the template and the person, so a
message delivered again, or published again under another id, queues nothing new. Each mail carries
its one-click unsubscribe link; the suppression list (in the postbox) holds back mail to an address
that unsubscribed or failed permanently, when the mail is queued and again when it is sent.
"""
from dataclasses import dataclass
from typing import Callable

from sqlalchemy import Connection

from shared.actors import Actor
from shared.contracts import Envelope
from shared.contracts.content import CASE_STUDY_PUBLISHED, POST_PUBLISHED, SECTION_PUBLISHED
from shared.contracts.registration import ANNOUNCEMENTS_CONSENTED
from shared.runtime import Runtime

from notifications.domain.announcement_list import ANNOUNCEMENT_LIST, AnnouncementList, Subscriber
from notifications.domain.facts import AnnouncementsSubscribed, MailQueued
from notifications.domain.suppression import UNSUBSCRIBED
from notifications.postbox import Postbox, mail_id_for
from notifications.unsubscribe_links import unsubscribe_links


@dataclass(frozen=True)
class Announced:
    """How one kind of published content becomes an announcement."""
    template: str
    what: Callable[[dict], str]  # the published thing's identity: the same one is announced once
    shows: Callable[[dict], dict]  # what the template shows: title, summary, url
    news: Callable[[dict], bool] = lambda _payload: True  # False: nothing to announce


def _showing(*names: str) -> Callable[[dict], dict]:
    return lambda payload: {name: payload[name] for name in ("title", "summary", "url", *names)}


def _first_publication(payload: dict) -> bool:
    """A post or case study is news when readers first see it; a later revision of it is not."""
    return payload["first"]


ANNOUNCED = {  # every message type here is consumed and announced: nothing else to wire
    SECTION_PUBLISHED: Announced("guide_section_published", what=lambda p: f"guide/{p['slug']}/{p['revision']}",
                                 shows=_showing()),
    POST_PUBLISHED: Announced("post_published", what=lambda p: f"post/{p['slug']}", shows=_showing("author"),
                              news=_first_publication),
    CASE_STUDY_PUBLISHED: Announced("case_study_published", what=lambda p: f"case-study/{p['slug']}",
                                    shows=_showing("organisation"), news=_first_publication),
}
ANNOUNCED_BY_NAME = {kind.name: announced for kind, announced in ANNOUNCED.items()}
ANNOUNCEMENT_TEMPLATES = tuple(announced.template for announced in ANNOUNCED.values())


def is_optional(template: str) -> bool:
    """A mail the person chose to get (an announcement): an address that unsubscribed does not get it."""
    return template in ANNOUNCEMENT_TEMPLATES


class Announcements:
    def __init__(self, runtime: Runtime):
        self.vault, self.clock = runtime.vault, runtime.clock
        self.lists = runtime.repository(AnnouncementList)
        self.postbox = Postbox(runtime)
        self.links = unsubscribe_links(runtime.settings)

    def subscribe(self, db: Connection, message: Envelope) -> None:
        """Keep the opt-in; a newer one lifts an unsubscribe of the same address."""
        payload, person_id = message.payload, str(message.payload["person_id"])
        sealed = self.vault.seal(db, person_id, {"name": payload["name"], "email": payload["email"]})
        self.vault.link_email(db, person_id, payload["email"])
        consent = AnnouncementsSubscribed(person_id, sealed, payload["wording"], payload["given_at"].isoformat(),
                                          str(payload["registration_id"]))
        subscribed = self.lists.execute(ANNOUNCEMENT_LIST, lambda known, _db: known.subscribe(consent),
                                        Actor.service(message.producer), causation_id=message.id, db=db)
        if subscribed:
            suppression = self.postbox.suppression(db, payload["email"])
            suppression.lift(UNSUBSCRIBED, payload["given_at"])
            self.postbox.suppressions.save(db, suppression, Actor.service(message.producer), message.id)

    def unsubscribe(self, person_id: str, actor: Actor, how: str) -> None:
        """Off the list, and the address on the suppression list for optional mail; twice is once."""
        def decide(known: AnnouncementList, db: Connection) -> None:
            left = known.unsubscribe(person_id, self.clock(), how)
            unsealed = left and self.vault.unseal(db, person_id, left.recipient)
            if unsealed:
                suppression = self.postbox.suppression(db, unsealed["email"])
                suppression.suppress(UNSUBSCRIBED, self.clock(), cause=person_id)
                self.postbox.suppressions.save(db, suppression, actor)
        self.lists.execute(ANNOUNCEMENT_LIST, decide, actor)

    def handlers(self) -> dict:
        """The message handlers announcements add to the service's registry."""
        return {ANNOUNCEMENTS_CONSENTED: self.subscribe, **{kind: self.announce for kind in ANNOUNCED}}

    def announce(self, db: Connection, message: Envelope) -> None:
        """One mail to each person on the list, when what was published is news."""
        announced = ANNOUNCED_BY_NAME[message.type]
        if not announced.news(message.payload):
            return
        everyone = self.lists.get(db, ANNOUNCEMENT_LIST).everyone()
        for subscriber in everyone:
            self._mail(db, message, announced, subscriber)

    def _mail(self, db: Connection, message: Envelope, announced: Announced, subscriber: Subscriber) -> None:
        what = announced.what(message.payload)
        queued = MailQueued(mail_id=mail_id_for(f"announcement/{what}", announced.template, subscriber.person_id),
                            template=announced.template, person_id=subscriber.person_id,
                            recipient=subscriber.recipient, cause=message.id,
                            context={"announcement": announced.shows(message.payload),
                                     "unsubscribe_url": self.links.url(subscriber.person_id)})
        self.postbox.post(db, Actor.service(message.producer), queued, causation_id=message.id, optional=True)
