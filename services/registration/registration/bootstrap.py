"""Wires registration together from its settings: runtime, read tables, publications, handlers."""
from dataclasses import dataclass
from datetime import datetime
from typing import Callable

from shared.runtime import Runtime, ServiceParts
from shared.settings import Settings, load
from shared.timefmt import utc_now

from registration import projections
from registration.handlers import Handlers
from registration.publications import Publications


@dataclass
class Registration:
    runtime: Runtime
    parts: ServiceParts
    handlers: Handlers


def bootstrap(settings: Settings | None = None, clock: Callable[[], datetime] = utc_now) -> Registration:
    runtime = Runtime(settings or load("registration"), clock=clock)
    parts = ServiceParts(projections=[projections.projection],
                         translate=Publications(runtime.store, runtime.vault).translate)
    runtime.create_tables(parts)
    return Registration(runtime, parts, Handlers(runtime))
