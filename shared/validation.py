"""Field checks that every form, API and contract applies the same way.

A value that passes here is safe to put in a mail header, a log line or a page: it holds no
character that Python's `str.splitlines()` or the email package treat as a line break, no control
character (C0 or C1) and no bidirectional override or isolate, which would let a name display as
something it is not.
"""
import re

from marshmallow import ValidationError

LINE_BREAKS = "\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"  # what str.splitlines() splits on
C0_CONTROLS = "\x00-\x08\x0b-\x1f\x7f"  # tab and line feed are allowed in multi-line text
C1_CONTROLS = "\x80-\x9f"
BIDI_CONTROLS = "\u202a-\u202e\u2066-\u2069"  # embeddings, overrides and isolates
NOT_IN_ONE_LINE = re.compile(f"[\t{LINE_BREAKS}{C0_CONTROLS}{C1_CONTROLS}{BIDI_CONTROLS}]")
NOT_IN_TEXT = re.compile(f"[{C0_CONTROLS}{C1_CONTROLS}{BIDI_CONTROLS}]")
DOMAIN_LABEL = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?", re.IGNORECASE)


def single_line(label: str = "This field"):
    """One line of plain text: no line breaks (they would split a header), no control characters,
    no bidirectional controls."""
    def check(value: str) -> None:
        if NOT_IN_ONE_LINE.search(value):
            raise ValidationError(f"{label} must be on one line, without special characters")
    return check


def plain_text(label: str = "This field"):
    """Text that may run over several lines, without control characters (PostgreSQL refuses NUL;
    C1 controls break mail) or bidirectional controls."""
    def check(value: str) -> None:
        if NOT_IN_TEXT.search(value.replace("\r\n", "\n")):
            raise ValidationError(f"Remove the special characters from {label.lower()}")
    return check


def ascii_email(value: str) -> None:
    """An address we can deliver to on the public internet: ASCII (mail servers without SMTPUTF8
    cannot take other addresses), on a dotted domain name; never an IP literal (x@[127.0.0.1]) or a
    single-label host (root@localhost), which would send mail inside our own network."""
    if not value.isascii():
        raise ValidationError("Enter an email address using only the letters a to z, digits and symbols")
    if not is_public_domain(value.rpartition("@")[2]):
        raise ValidationError("Enter an email address with a full domain name after the @, like name@example.org")


def is_public_domain(domain: str) -> bool:
    """A dotted domain name whose last label is not a number (so not an IPv4 address either)."""
    labels = domain.rstrip(".").split(".")
    return (len(labels) >= 2 and all(DOMAIN_LABEL.fullmatch(label) for label in labels)
            and not labels[-1].isdigit())


def within_our_times(value) -> None:
    """Dates this service deals in: refuses year 1 and year 9999, which overflow on conversion."""
    if not 2000 <= value.year <= 2100:
        raise ValidationError("Must be a date between the years 2000 and 2100")
