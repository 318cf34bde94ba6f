"""Wires content together from its settings: runtime, read tables, message handlers."""
from dataclasses import dataclass
from datetime import datetime
from typing import Callable

from shared.runtime import Runtime, ServiceParts
from shared.settings import Settings, load
from shared.timefmt import utc_now

from content import projections
from content.handlers import Handlers


@dataclass
class Content:
    runtime: Runtime
    parts: ServiceParts
    handlers: Handlers


def bootstrap(settings: Settings | None = None, clock: Callable[[], datetime] = utc_now) -> Content:
    runtime = Runtime(settings or load("content"), clock=clock)
    handlers = Handlers(runtime)
    parts = ServiceParts(projections=[projections.projection], handlers=handlers.message_handlers())
    runtime.create_tables(parts)
    return Content(runtime, parts, handlers)
