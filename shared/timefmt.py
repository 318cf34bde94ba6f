"""Times are stored in UTC and shown in Europe/London, the week's own clock."""
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")


def utc_now() -> datetime:
    """The clock every service uses unless a test hands it another."""
    return datetime.now(timezone.utc)


def iso_utc(moment: datetime) -> str:
    """How facts store a moment: ISO 8601 in UTC, whatever offset it arrived with."""
    return moment.astimezone(timezone.utc).isoformat()


def in_london(moment: datetime | str) -> datetime:
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(LONDON)


def day(moment) -> str:
    """'Tuesday 16 November 2027'"""
    local = in_london(moment)
    return f"{local:%A} {local.day} {local:%B %Y}"


def clock(moment) -> str:
    """'10:00'"""
    return f"{in_london(moment):%H:%M}"


def when(starts_at, ends_at) -> str:
    """'Tuesday 16 November 2027, 10:00 to 12:00 (UK time)'"""
    return f"{day(starts_at)}, {clock(starts_at)} to {clock(ends_at)} (UK time)"


ATTENDANCE_LABELS = {"online": "Online", "in_person": "In person", "hybrid": "Hybrid: in person or online"}


def attendance(value: str) -> str:
    return ATTENDANCE_LABELS.get(value, value)


FILTERS = {"day": day, "clock": clock, "when": when, "attendance": attendance}
