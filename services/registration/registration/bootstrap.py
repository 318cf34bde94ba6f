"""Wires registration together from its settings: runtime, read tables, publications, handlers."""
from datetime import datetime
from typing import Callable

from shared.runtime import Runtime, Service, ServiceParts
from shared.settings import Settings, load
from shared.timefmt import utc_now

from registration import projections
from registration.domain.facts import FACTS, UPCASTERS
from registration.handlers import Handlers
from registration.manage_links import manage_links
from registration.publications import Publications


def bootstrap(settings: Settings | None = None, clock: Callable[[], datetime] = utc_now) -> Service:
    runtime = Runtime(settings or load("registration"), facts=FACTS, upcasters=UPCASTERS, clock=clock)
    handlers = Handlers(runtime)
    parts = ServiceParts(projections=[projections.projection], registry=handlers.registry(),
                         translate=Publications(runtime.store, runtime.vault,
                                                          manage_links(runtime.settings)).translate)
    runtime.create_tables(parts)
    return Service(runtime, parts)
