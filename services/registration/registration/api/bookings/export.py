"""Bookings as a CSV file for a spreadsheet. A cell that begins with =, +, -, @ (or a tab or carriage
return) would be read as a formula by a spreadsheet, so it gets a leading apostrophe: a name such as
"=HYPERLINK(...)" is shown as text, never run."""
import csv
import io

from registration.bookings import Booking
from registration.domain.needs import ACCESS_NEEDS, needs_of

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
COLUMNS = ("registration_id", "status", "places", "registered_at", "checked_in", "name", "email", "organisation",
           "needs", "dietary_needs", "access_needs", "with_carer")


def neutralised(value) -> str:
    text = str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def as_csv(bookings: list[Booking]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for booking in bookings:
        row = {**booking.personal, "registration_id": booking.registration_id, "status": booking.status,
               "places": booking.places, "registered_at": booking.registered_at.isoformat(),
               "checked_in": "yes" if booking.checked_in else "no"}
        row["with_carer"] = "yes" if row.get("with_carer") else "no"
        row["needs"] = "; ".join(ACCESS_NEEDS[need] for need in needs_of(booking.personal))
        writer.writerow([neutralised(row.get(column, "")) for column in COLUMNS])
    return out.getvalue()
