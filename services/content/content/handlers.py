"""Content's command and message handlers: each loads its aggregate, lets it decide and saves what
it recorded, through Repository.execute."""
from sqlalchemy import Connection

from shared.actors import Actor
from shared.commands import Registry
from shared.contracts import Envelope
from shared.contracts.registration import (ACTIVITY_CANCELLED, ACTIVITY_CHANGED, ACTIVITY_OPENED,
                                           ACTIVITY_REGISTRATION_CLOSED, ACTIVITY_REGISTRATION_REOPENED,
                                           ACTIVITY_RESCHEDULED, ActivityDetails)
from shared.runtime import Runtime

from content import media_store
from content.domain.articles import ARTICLES, article_stream
from content.domain.commands import (SECTION, CancelScheduledPublication, PublishRevision, RestoreRevision,
                                     SchedulePublication, SubmitRevision, UploadMedia, WithdrawLiveRevision, WriteArticle,
                                     WriteSection)
from content.domain.facts import SectionWritten
from content.domain.guide import GuideSection, section_stream
from content.domain.media import Media, digest_of, media_stream
from content.domain.outline import Outline
from content.domain.programme import ProgrammeEntry, entry_stream


class Handlers:
    def __init__(self, runtime: Runtime):
        self.store = runtime.store
        self.media = runtime.repository(Media)
        self.sections = runtime.repository(GuideSection)
        self.articles = {kind: runtime.repository(aggregate) for kind, aggregate in ARTICLES.items()}
        self.entries = runtime.repository(ProgrammeEntry)

    def write_section(self, command: WriteSection) -> int:
        """A new revision; its number."""
        def decide(section: GuideSection, db: Connection) -> int:
            placed = command.parent is not None or command.easy_read_of is not None
            return section.write(command.slug, command.title, command.body, command.position, command.based_on,
                                 command.easy_read_of, command.parent, self._outline(db) if placed else Outline({}))
        return self._written(command, decide)

    def _outline(self, db: Connection) -> Outline:
        """The guide's outline from the log, read under the append lock, so that no other section's
        revision changes it before this one is saved."""
        self.store.lock_appends(db)
        return Outline.of([fact.data for fact in self.store.read_of_type(db, SectionWritten.type_name)])

    def write_article(self, command: WriteArticle) -> int:
        words = {name: getattr(command, name) for name in ("title", "summary", "body", "author", "tags",
                                                           "organisation", "sector")}
        return self._written(command, lambda article, _db: article.write_words(command.slug, words, command.based_on))

    def upload_media(self, command: UploadMedia) -> tuple[str, bool]:
        """The image's digest, and whether it was new; its bytes are kept in the upload's transaction."""
        digest = digest_of(command.data)

        def decide(media: Media, db) -> bool:
            new = media.upload(digest, command.media_type, len(command.data), command.alt)
            if new:
                media_store.keep(db, digest, command.media_type, command.data)
            return new
        return digest, self.media.execute(media_stream(digest), decide, command.actor)

    def _written(self, command, write) -> int:
        def decide(writing, db) -> int:
            revision = write(writing, db)
            if command.publish:
                writing.publish(command.slug)
            return revision
        kind = getattr(command, "kind", SECTION)
        return self._repository(kind).execute(_stream(kind, command.slug), decide, command.actor)

    def restore_revision(self, command: RestoreRevision) -> int:
        """A section's earlier revision is placed in the guide's outline as it is now."""
        def decide(writing, db) -> int:
            outline = {"outline": self._outline(db)} if command.kind == SECTION else {}
            return writing.restore(command.slug, command.revision, command.based_on, **outline)
        return self._repository(command.kind).execute(_stream(command.kind, command.slug), decide, command.actor)

    def submit_revision(self, command: SubmitRevision) -> None:
        self._on_writing(command, lambda writing: writing.submit(command.slug, command.revision))

    def publish_revision(self, command: PublishRevision) -> None:
        self._on_writing(command, lambda writing: writing.publish(command.slug, command.revision))

    def withdraw_live_revision(self, command: WithdrawLiveRevision) -> None:
        self._on_writing(command, lambda writing: writing.withdraw(command.slug))

    def schedule_publication(self, command: SchedulePublication) -> None:
        self._on_writing(command, lambda writing: writing.schedule(command.slug, command.revision, command.at))

    def cancel_scheduled_publication(self, command: CancelScheduledPublication) -> None:
        self._on_writing(command, lambda writing: writing.unschedule(command.slug))

    def publish_when_due(self, db: Connection, slug: str) -> None:
        """The scheduler's job, in the transaction that takes the due item."""
        self._publish_scheduled(db, SECTION, slug)

    def publish_article_when_due(self, db: Connection, key: str) -> None:
        """The same for a post or a case study, whose due item's key is `kind/slug`."""
        kind, slug = key.split("/", 1)
        self._publish_scheduled(db, kind, slug)

    def _publish_scheduled(self, db: Connection, kind: str, slug: str) -> None:
        self._repository(kind).execute(_stream(kind, slug), lambda writing, _db: writing.publish_scheduled(slug),
                                       Actor.system("scheduler"), db=db)

    def _on_writing(self, command, decide):
        """A command on revisions of any kind of writing."""
        return self._repository(command.kind).execute(_stream(command.kind, command.slug),
                                                      lambda writing, _db: decide(writing), command.actor)

    def _repository(self, kind: str):
        return self.sections if kind == SECTION else self.articles[kind]

    def list_in_programme(self, db: Connection, message: Envelope) -> None:
        """registration.activity.opened -> the activity appears in the week's programme."""
        details = ActivityDetails.from_payload(message.payload)
        self._follow(db, message, lambda entry, activity_id: entry.list(activity_id, details))

    def change_in_programme(self, db: Connection, message: Envelope) -> None:
        details, changed = ActivityDetails.from_payload(message.payload), list(message.payload["changed"])
        self._follow(db, message, lambda entry, activity_id: entry.change(activity_id, details, changed))

    def reschedule_in_programme(self, db: Connection, message: Envelope) -> None:
        starts_at, ends_at = message.payload["starts_at"], message.payload["ends_at"]
        self._follow(db, message, lambda entry, activity_id: entry.reschedule(activity_id, starts_at, ends_at))

    def close_in_programme(self, db: Connection, message: Envelope) -> None:
        self._follow(db, message, lambda entry, activity_id: entry.close_registration(activity_id))

    def reopen_in_programme(self, db: Connection, message: Envelope) -> None:
        self._follow(db, message, lambda entry, activity_id: entry.reopen_registration(activity_id))

    def cancel_in_programme(self, db: Connection, message: Envelope) -> None:
        reason = message.payload.get("reason", "")
        self._follow(db, message, lambda entry, activity_id: entry.cancel(activity_id, reason))

    def _follow(self, db: Connection, message: Envelope, decide) -> None:
        """One of registration's messages about an activity, decided on by its programme entry in
        the consumer's transaction."""
        activity_id = str(message.payload["activity_id"])
        self.entries.execute(entry_stream(activity_id), lambda entry, _db: decide(entry, activity_id),
                             Actor.service(message.producer), causation_id=message.id, db=db)

    def registry(self) -> Registry:
        return Registry(commands={WriteSection: self.write_section, WriteArticle: self.write_article,
                                  UploadMedia: self.upload_media,
                                  RestoreRevision: self.restore_revision,
                                  SubmitRevision: self.submit_revision, PublishRevision: self.publish_revision,
                                  WithdrawLiveRevision: self.withdraw_live_revision,
                                  SchedulePublication: self.schedule_publication,
                                  CancelScheduledPublication: self.cancel_scheduled_publication},
                        messages={ACTIVITY_OPENED: self.list_in_programme,
                                  ACTIVITY_CHANGED: self.change_in_programme,
                                  ACTIVITY_RESCHEDULED: self.reschedule_in_programme,
                                  ACTIVITY_REGISTRATION_CLOSED: self.close_in_programme,
                                  ACTIVITY_REGISTRATION_REOPENED: self.reopen_in_programme,
                                  ACTIVITY_CANCELLED: self.cancel_in_programme})


def _stream(kind: str, slug: str) -> str:
    return section_stream(slug) if kind == SECTION else article_stream(kind, slug)
