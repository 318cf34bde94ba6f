"""Demo data written for the project: a Co-production Week in November, with a handful of
activities across Scotland. Loaded once, on first start, through the same handlers as real use."""
import uuid
from datetime import date, datetime, timedelta, timezone

from shared.actors import Actor
from shared.contracts.registration import ActivityDetails
from shared.timefmt import LONDON

from registration.domain.commands import DraftActivity

DEMO = Actor.system("demo")

DEMO_NAMESPACE = uuid.UUID("6f1c2a4e-7a53-4c5e-9a1e-2b8f6d0c9e11")

ACTIVITIES = [
    # day of the week (0 = Monday), start, end, attendance, region, venue, capacity, organiser, title, summary,
    # then what lets people find it: themes, council area ("" online), access provisions
    (0, "10:00", "12:00", "in_person", "Glasgow", "Community Hall, 12 Example Street, Glasgow",
     30, "Glasgow Community Health Forum", "Co-production in primary care: what we learned",
     "People who use GP services and the staff who run them share what changed when they designed a service together.",
     ("health-and-social-care",), "glasgow_city", ("hearing_loop", "step_free")),
    (0, "14:00", "15:30", "online", "Across Scotland", "",
     100, "Co-production Week team", "An introduction to co-production",
     "A friendly first look at co-production: what it is, what it is not, and how to start. BSL interpretation and live captions.",
     ("community-and-third-sector", "research-and-learning"), "", ("bsl_interpreter", "live_captions")),
    (1, "13:00", "15:00", "hybrid", "Highland", "Library Meeting Room, Example Road, Inverness",
     20, "Highland Housing Voices", "Tenants and landlords shaping repairs together",
     "How tenants and a housing association rewrote the repairs process, and what it took to share power.",
     ("housing",), "highland", ("live_captions", "step_free", "quiet_space")),
    (2, "10:30", "12:30", "in_person", "Fife", "Learning Centre, 4 Sample Lane, Kirkcaldy",
     15, "Fife Learning Together", "Young people co-designing their school day",
     "Pupils, parents and teachers on co-designing timetables, with time to try the methods yourself.",
     ("education",), "fife", ("step_free", "quiet_space")),
    (3, "18:00", "19:30", "online", "Scottish Borders", "",
     60, "Borders Carers Collective", "Carers' voices in planning local support",
     "Unpaid carers talk about being equal partners in planning services. Evening session so that more carers can join.",
     ("health-and-social-care", "community-and-third-sector"), "", ("live_captions",)),
    (4, "11:00", "13:00", "in_person", "Dundee", "Waterfront Studio, 1 Placeholder Quay, Dundee",
     3, "Dundee Place Partnership", "Walking workshop: co-producing a neighbourhood plan",
     "A short, step-free walk and a conversation about how residents shaped their place plan. Small group.",
     ("place-making-and-planning", "arts-and-culture"), "dundee_city", ("step_free", "bsl_interpreter")),
]


def week_start(today: date) -> date:
    """The Monday of the demo week: the first Monday on or after 15 November still to come."""
    for year in (today.year, today.year + 1):
        monday = date(year, 11, 15) + timedelta(days=(7 - date(year, 11, 15).weekday()) % 7)
        if monday > today:
            return monday
    raise AssertionError("unreachable")


def _at(day: date, hhmm: str) -> datetime:
    hour, minute = map(int, hhmm.split(":"))
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=LONDON).astimezone(timezone.utc)


def demo_activities(today: date) -> list[DraftActivity]:
    monday = week_start(today)
    drafts = []
    for (offset, start, end, attendance, region, venue, capacity, organiser, title, summary,
         themes, area, provisions) in ACTIVITIES:
        day = monday + timedelta(days=offset)
        details = ActivityDetails(organiser=organiser, title=title, summary=summary, starts_at=_at(day, start),
                                  ends_at=_at(day, end), attendance=attendance, venue=venue, region=region,
                                  themes=themes, area=area, access_provisions=provisions)
        drafts.append(DraftActivity(actor=DEMO, activity_id=str(uuid.uuid5(DEMO_NAMESPACE, f"{monday.year}:{title}")),
                                    details=details, capacity=capacity, open_now=True))
    return drafts


def seed(service) -> bool:
    """Load the demo week unless the log already holds facts; True when it loaded."""
    runtime = service.runtime
    with runtime.engine.connect() as db:
        if runtime.store.last_position(db):
            return False
    for draft in demo_activities(runtime.clock().date()):
        service.handle(draft)
    return True
