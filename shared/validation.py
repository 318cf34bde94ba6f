"""Field checks that every form, API and contract applies the same way."""
import re

from marshmallow import ValidationError

CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")  # tab and line feed are allowed in text
LINE_BREAKS = re.compile(r"[\r\n\u2028\u2029]")


def single_line(label: str = "This field"):
    """One line of plain text: no line breaks (they would split a header) and no control characters."""
    def check(value: str) -> None:
        if LINE_BREAKS.search(value) or CONTROL_CHARACTERS.search(value) or "\t" in value:
            raise ValidationError(f"{label} must be on one line, without special characters")
    return check


def plain_text(label: str = "This field"):
    """Text that may run over several lines, without control characters (PostgreSQL refuses NUL)."""
    def check(value: str) -> None:
        if CONTROL_CHARACTERS.search(value.replace("\r\n", "\n")):
            raise ValidationError(f"Remove the special characters from {label.lower()}")
    return check


def ascii_email(value: str) -> None:
    """Mail servers without SMTPUTF8 cannot take other addresses, so we do not promise to."""
    if not value.isascii():
        raise ValidationError("Enter an email address using only the letters a to z, digits and symbols")


def within_our_times(value) -> None:
    """Dates this service deals in: refuses year 1 and year 9999, which overflow on conversion."""
    if not 2000 <= value.year <= 2100:
        raise ValidationError("Must be a date between the years 2000 and 2100")
