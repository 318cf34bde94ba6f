"""Who may use registration's admin API, besides admins."""
from shared.api import ADMIN, Role

ORGANISER = Role("organiser", "a member organisation: reads its own activities", needs_organisation=True)
ROLES = [ADMIN, ORGANISER]
