"""Reading the mails a test's delivery recorded: their parts and their calendar entry."""
from icalendar import Calendar


def text_of(email) -> str:
    return email.get_body(("plain",)).get_content()


def html_of(email) -> str:
    return email.get_body(("html",)).get_content()


def calendar_of(email) -> Calendar | None:
    """The one .ics the mail carries, parsed with icalendar; None without one."""
    parts = [part for part in email.iter_attachments() if part.get_content_type() == "text/calendar"]
    assert len(parts) <= 1
    return Calendar.from_ical(parts[0].get_content()) if parts else None


def event_of(email):
    calendar = calendar_of(email)
    event, = calendar.walk("VEVENT")
    return calendar, event


def to(email) -> str:
    return str(email["To"])
