"""Calendar entries (.ics) for mails about a booking, made with the icalendar library, never by hand.

One booking is one entry: its UID is made from the registration id, so that a calendar program
replaces the entry it already has when an updated one (a higher SEQUENCE) or a cancellation arrives.
Times are written in Europe/London with the zone's definition, as the week's own clock shows them.
"""
import functools
from datetime import date, datetime, timezone

from icalendar import Calendar, Event, Timezone, vCalAddress, vText

from shared.timefmt import LONDON, in_london

PRODUCT = "-//Co-production Week Scotland//notifications//EN"
UID_DOMAIN = "coproduction-week.scot"


def booking_uid(registration_id: str) -> str:
    return f"booking-{registration_id}@{UID_DOMAIN}"


def calendar_part(entry: dict, activity: dict, recipient_email: str, organiser_address: str,
                  clean) -> bytes:
    """entry: {"method": "REQUEST" | "CANCEL", "uid", "sequence", "stamp"} as the mail's context
    holds it; clean() makes a name or title one inert line. Each component is written by icalendar,
    the zone once a year: the calendar's own lines, then the zone and the event before its END."""
    calendar = Calendar()
    calendar.add("prodid", PRODUCT)
    calendar.add("version", "2.0")
    calendar.add("method", entry["method"])
    zone = london_zone_ical(in_london(activity["starts_at"]).year)
    event = _event(entry, activity, recipient_email, organiser_address, clean).to_ical()
    return calendar.to_ical().removesuffix(CALENDAR_END) + zone + event + CALENDAR_END


CALENDAR_END = b"END:VCALENDAR\r\n"


@functools.cache
def london_zone_ical(year: int) -> bytes:
    """The zone's definition (VTIMEZONE) with its transitions from the year before the activity's
    to the year after, as the calendar carries it, worked out and written once a year: finding the
    transitions takes longer than the rest of a mail, and the zone is half of an entry's lines."""
    return Timezone.from_tzinfo(LONDON, first_date=date(year - 1, 1, 1), last_date=date(year + 2, 1, 1)).to_ical()


def _event(entry: dict, activity: dict, recipient_email: str, organiser_address: str, clean) -> Event:
    event = Event()
    event.add("uid", entry["uid"])
    event.add("sequence", int(entry["sequence"]))
    event.add("dtstamp", datetime.fromisoformat(entry["stamp"]).astimezone(timezone.utc))
    event.add("dtstart", in_london(activity["starts_at"]).astimezone(LONDON))
    event.add("dtend", in_london(activity["ends_at"]).astimezone(LONDON))
    event.add("summary", clean(activity["title"]))
    if activity.get("venue"):
        event.add("location", clean(activity["venue"]))
    event.add("status", "CANCELLED" if entry["method"] == "CANCEL" else "CONFIRMED")
    organiser = vCalAddress(f"mailto:{organiser_address}")
    organiser.params["cn"] = vText("Co-production Week Scotland")
    event.add("organizer", organiser)
    attendee = vCalAddress(f"mailto:{recipient_email}")
    attendee.params["role"] = vText("REQ-PARTICIPANT")
    event.add("attendee", attendee)
    return event
