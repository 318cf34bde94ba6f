"""Every mail template rendered with sample data, exactly as the mailer composes it (subject, plain
text, HTML, the calendar entry and the list headers), for admins to read before a mail goes out.
A template without a sample here fails the tests: every template can be previewed."""
from pathlib import Path

from notifications.composer import compose

TEMPLATES_DIR = Path(__file__).parent / "mail_templates"
SAMPLE_RECIPIENT = {"name": "Ada Example", "email": "ada@example.org",
                    "manage_url": "https://registration.example.org/bookings/sample-link"}
ACTIVITY = {"organiser": "Highland Co-production Network", "title": "Designing services together",
            "summary": "An afternoon on shared decisions.", "starts_at": "2030-11-18T13:00:00+00:00",
            "ends_at": "2030-11-18T15:30:00+00:00", "attendance": "hybrid", "venue": "Eden Court, Inverness",
            "region": "Highland"}
UNSUBSCRIBE_URL = "https://notifications.example.org/unsubscribe/sample-link"
BEFORE = {"starts_at": "2030-11-18T10:00:00+00:00", "ends_at": "2030-11-18T12:30:00+00:00"}


def _entry(method: str = "REQUEST", sequence: int = 0) -> dict:
    return {"method": method, "uid": "sample-booking@cpw", "sequence": sequence, "stamp": "2030-11-01T09:00:00+00:00"}


SAMPLES = {
    "registration_confirmed": {"calendar": _entry()},
    "registration_waitlisted": {},
    "registration_promoted": {"calendar": _entry()},
    "registration_resubmitted": {"status": "confirmed"},
    "registration_cancelled": {"was": "confirmed", "by": "organiser", "reason": "The room is too small.",
                               "calendar": _entry("CANCEL", 1)},
    "activity_changed": {"changed": ["venue"], "before": BEFORE, "calendar": _entry(sequence=1)},
    "activity_rescheduled": {"before": BEFORE, "calendar": _entry(sequence=1)},
    "activity_cancelled": {"was": "confirmed", "reason": "The venue is flooded.", "calendar": _entry("CANCEL", 1)},
    "activity_reminder": {"ahead": "in 24 hours"},
    "guide_section_published": {
        "announcement": {"title": "What is co-production?", "summary": "A clearer first paragraph",
                         "url": "https://content.example.org/guide/what-is-co-production/revisions/2"},
        "unsubscribe_url": UNSUBSCRIBE_URL},
    "post_published": {
        "announcement": {"title": "Five things we learned in Inverness", "author": "Morag Example",
                         "summary": "What people told us at this year's first co-production cafe.",
                         "url": "https://content.example.org/posts/five-things-we-learned"},
        "unsubscribe_url": UNSUBSCRIBE_URL},
    "case_study_published": {
        "announcement": {"title": "Tenants and the council redesign repairs", "organisation": "Fife Housing",
                         "summary": "How tenants and staff changed the way repairs are reported.",
                         "url": "https://content.example.org/case-studies/tenants-redesign-repairs"},
        "unsubscribe_url": UNSUBSCRIBE_URL},
}


def template_names() -> list[str]:
    return sorted(path.stem for path in TEMPLATES_DIR.glob("*.txt") if not path.name.startswith("_"))


def preview(template: str, mail_from: str) -> dict | None:
    """The template as a mail with sample data; None for a template that does not exist."""
    if template not in template_names():
        return None
    context = {"activity": ACTIVITY, "activity_id": "sample-activity", "registration_id": "sample-booking",
               "calendar": None, "status": "", **SAMPLES.get(template, {})}
    message = compose(f"preview-{template}", template, SAMPLE_RECIPIENT, context, mail_from)
    calendar = next((part.get_content() for part in message.iter_attachments()
                     if part.get_content_type() == "text/calendar"), None)
    return {"template": template, "subject": str(message["Subject"]),
            "text": message.get_body(("plain",)).get_content(), "html": message.get_body(("html",)).get_content(),
            "calendar": calendar,
            "headers": {name: str(message[name]) for name in ("List-Unsubscribe", "List-Unsubscribe-Post")
                        if message[name] is not None}}
