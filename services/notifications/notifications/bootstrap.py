"""Wires notifications together from its settings: runtime, read table, message handlers, mailer."""
from datetime import datetime
from typing import Callable

from shared.loops import Loop
from shared.runtime import Runtime, Service, ServiceParts
from shared.settings import Settings, load
from shared.timefmt import utc_now

from notifications import projections
from notifications.delivery import delivery_for
from notifications.domain.facts import FACTS
from notifications.handlers import Handlers
from notifications.mailer import Mailer


def bootstrap(settings: Settings | None = None, delivery=None, clock: Callable[[], datetime] = utc_now) -> Service:
    runtime = Runtime(settings or load("notifications"), facts=FACTS, clock=clock)
    mailer = Mailer(runtime, delivery or delivery_for(runtime.settings.smtp_url, runtime.settings.mail_dir))
    parts = ServiceParts(projections=[projections.projection], registry=Handlers(runtime).registry(),
                         extra_loops=[Loop("notifications-mailer", mailer.step, kind="mailer", idle_wait=0.3)],
                         status=lambda db: {"mail": projections.count_by_status(db)})
    runtime.create_tables(parts)
    return Service(runtime, parts)
