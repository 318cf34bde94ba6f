"""Who may use registration's admin API, besides admins."""
from shared.api import ADMIN, Role

ORGANISER = Role("organiser", "a member organisation: runs its own activities and their bookings", needs_organisation=True)
ROLES = [ADMIN, ORGANISER]
