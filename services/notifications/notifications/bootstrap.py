"""Wires notifications together from its settings: runtime, read table, message handlers, mailer."""
from datetime import datetime
from typing import Callable

from shared.runtime import Runtime, Service, ServiceParts
from shared.settings import Settings, load
from shared.timefmt import utc_now

from notifications import projections
from notifications.bounces import Bounces
from notifications.delivery import delivery_for
from notifications.domain.facts import FACTS, UPCASTERS
from notifications.handlers import Handlers
from notifications.mailer import SCHEDULE, Mailer
from notifications.reminders import Reminders
from notifications.unsubscribe_links import check_public_url

REQUIRES = ("SMTP_URL", "MAIL_FROM")  # in production: no mail leaves the building without them
SENDERS = 4  # batches sent at once, so that one slow server answer holds back no other mail


def bootstrap(settings: Settings | None = None, delivery=None, clock: Callable[[], datetime] = utc_now,
              reminder_offsets: list[str] | None = None) -> Service:
    """reminder_offsets: as REMINDER_OFFSETS gives them ("24h", "1h"), which is read when None."""
    settings = settings or load("notifications", requires=REQUIRES)
    check_public_url(settings)
    runtime = Runtime(settings, facts=FACTS, upcasters=UPCASTERS, clock=clock)
    reminders = Reminders(runtime, reminder_offsets)
    bounces = Bounces(runtime)
    runtime.due_work.add_rules(SCHEDULE + reminders.rules() + bounces.rules())
    runtime.needs_attention["unresolved_mail"] = projections.count_unresolved
    mailer = Mailer(runtime, delivery or delivery_for(runtime.settings.smtp_url, runtime.settings.mail_dir))
    senders = [runtime.scheduler_loop(f"notifications-mailer-{n}", [mailer.job], kind="mailer", side_by_side=SENDERS)
               for n in range(1, SENDERS + 1)]
    parts = ServiceParts(projections=[projections.projection], registry=Handlers(runtime).registry(),
                         extra_loops=senders, jobs=[reminders.job, bounces.job],
                         status=lambda db: {"mail": projections.count_by_status(db)})
    runtime.create_tables(parts)
    return Service(runtime, parts)
