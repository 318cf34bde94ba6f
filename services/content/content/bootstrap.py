"""Wires content together from its settings: runtime, read tables, command and message handlers."""
from datetime import datetime
from typing import Callable

from shared.database import create_tables
from shared.runtime import Runtime, Service, ServiceParts
from shared.scheduling import Job
from shared.settings import Settings, load
from shared.timefmt import utc_now

from content import article_projections, media_store, projections, search
from content.domain.facts import FACTS, UPCASTERS
from content.handlers import Handlers
from content.publications import Publications
from content.scheduling import PUBLISH_ARTICLE, PUBLISH_SECTION, RULES


def bootstrap(settings: Settings | None = None, clock: Callable[[], datetime] = utc_now) -> Service:
    runtime = Runtime(settings or load("content"), facts=FACTS, upcasters=UPCASTERS, clock=clock)
    media_store.max_bytes()  # a wrong MEDIA_MAX_BYTES stops the service at start, naming it
    handlers = Handlers(runtime)
    runtime.due_work.add_rules(RULES)
    parts = ServiceParts(projections=[projections.projection, article_projections.projection, search.projection],
                         registry=handlers.registry(),
                         jobs=[Job(PUBLISH_SECTION, handlers.publish_when_due),
                               Job(PUBLISH_ARTICLE, handlers.publish_article_when_due)],
                         translate=Publications(runtime.store, runtime.settings.public_url).translate)
    runtime.create_tables(parts)
    create_tables(runtime.engine, media_store.metadata)
    return Service(runtime, parts)
