"""Turns a queued mail and its recipient into an email message, headers made safe: a plain-text
part and an HTML part, each from one template (`<template>.txt`, whose first line is the subject,
and `<template>.html`), and a calendar entry when the mail's context asks for one."""
import email.policy
import functools
import re
from email.message import EmailMessage, MIMEPart
from email.utils import formataddr, formatdate, parseaddr
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from shared.timefmt import FILTERS

from notifications.calendar_entry import calendar_part

TEMPLATES = Environment(loader=FileSystemLoader(Path(__file__).parent / "mail_templates"),
                        undefined=StrictUndefined, autoescape=False, keep_trailing_newline=True)
TEMPLATES.filters.update(FILTERS)
# The HTML part escapes everything a template prints; the plain-text one is text, never escaped.
HTML_TEMPLATES = Environment(loader=FileSystemLoader(Path(__file__).parent / "mail_templates"),
                             undefined=StrictUndefined, autoescape=True, keep_trailing_newline=True)
HTML_TEMPLATES.filters.update(FILTERS)
# Every character Python's email package refuses in a header, or that could disguise one: C0 and
# C1 controls (which hold all of str.splitlines()'s line breaks: \r \n \x0b \x0c \x1c-\x1e
# \x85), the line and paragraph separators, and the bidi overrides and isolates.
UNSAFE_IN_HEADER = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]+")
ADDRESS_SYNTAX = re.compile(r'[<>,;:@"\\()\[\]]+')
# An unsubscribe link as this service makes them: http(s), a host, and a path of URL-safe characters
# ending in /unsubscribe/<signed token>. Nothing else goes into List-Unsubscribe.
UNSUBSCRIBE_URL = re.compile(r"https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?(/[A-Za-z0-9._~-]+)*/unsubscribe/[A-Za-z0-9._-]+")


def one_line(value: str) -> str:
    """No line break of any kind in a name or title may start a header of its own, or make the
    email package refuse the whole message."""
    return UNSAFE_IN_HEADER.sub(" ", value).strip()


def display_name(value: str) -> str:
    """A name as a To header shows it, with nothing that could be read as another address: no
    address syntax, and no encoded word (=?...?=) that a reader would decode into one."""
    return " ".join(ADDRESS_SYNTAX.sub(" ", one_line(value)).replace("=?", "= ?").split())


def message_id(mail_id: str, mail_from: str) -> str:
    """The same mail always carries the same Message-ID, so a resend is recognisable."""
    domain = parseaddr(mail_from)[1].rpartition("@")[2] or "notifications.invalid"
    return f"<{mail_id}@{domain}>"


def inert_line(value: str) -> str:
    """One line with no encoded word (=?...?=) that a mail reader would decode into other text."""
    return one_line(value).replace("=?", "= ?")


@functools.cache
def same_in_every_mail(name: str, value: str):
    """A header whose value never changes, parsed once: the email package keeps a parsed header as it
    is given, and parsing one costs more than rendering a template."""
    return email.policy.default.header_factory(name, value)


def compose(mail_id: str, template: str, recipient: dict, context: dict, mail_from: str) -> EmailMessage:
    name, manage_url = one_line(recipient["name"]), recipient.get("manage_url", "")  # both sealed with the person
    subject, _, body = (TEMPLATES.get_template(f"{template}.txt").render(name=name, manage_url=manage_url, **context)
                        .partition("\n---\n"))
    message = EmailMessage()
    message["Subject"] = inert_line(subject)
    message["From"] = same_in_every_mail("From", mail_from)
    message["To"] = formataddr((display_name(recipient["name"]), recipient["email"]))
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = message_id(mail_id, mail_from)
    message["Auto-Submitted"] = same_in_every_mail("Auto-Submitted", "auto-generated")
    if context.get("unsubscribe_url"):
        _one_click_unsubscribe(message, context["unsubscribe_url"])
    html = HTML_TEMPLATES.get_template(f"{template}.html").render(name=name, manage_url=manage_url, **context)
    calendar = context.get("calendar") and _calendar(context, recipient["email"], parseaddr(mail_from)[1])
    _fill(message, [_part(body.lstrip("\n")), _part(html, "html")], calendar)
    return message


def _fill(message: EmailMessage, alternatives: list[MIMEPart], attachment: MIMEPart | None) -> None:
    """The text and HTML parts as alternatives, beside the calendar entry when there is one. Each
    part is built where it goes: converting a part into a multipart afterwards (set_content, then
    add_alternative and add_attachment) parses and writes its headers again, at several times the
    cost of the rest of the mail."""
    message["MIME-Version"] = same_in_every_mail("MIME-Version", "1.0")  # once, at the top (RFC 2045)
    alternative = MIMEPart() if attachment else message
    alternative.make_alternative()
    for part in alternatives:
        alternative.attach(part)
    if attachment:
        message.make_mixed()
        message.attach(alternative)
        message.attach(attachment)


def _part(content: str, subtype: str = "plain", **attachment) -> MIMEPart:
    part = MIMEPart()
    part.set_content(content, subtype=subtype, **attachment)
    return part


def _one_click_unsubscribe(message: EmailMessage, url: str) -> None:
    """List-Unsubscribe with the signed HTTPS link, and List-Unsubscribe-Post so that a mail program
    may unsubscribe with one POST (RFC 8058). A link that is not one of ours is refused outright."""
    if not UNSUBSCRIBE_URL.fullmatch(url):
        raise ValueError("the unsubscribe link is not one this service makes")
    message["List-Unsubscribe"] = f"<{url}>"
    message["List-Unsubscribe-Post"] = same_in_every_mail("List-Unsubscribe-Post", "List-Unsubscribe=One-Click")


def _calendar(context: dict, email: str, organiser_address: str) -> MIMEPart:
    entry = context["calendar"]
    ics = calendar_part(entry, context["activity"], email, organiser_address or "week@notifications.invalid",
                        inert_line)
    return _part(ics.decode(), "calendar", filename="invitation.ics", params={"method": entry["method"]})
