"""Who may use content's admin API, besides admins."""
from shared.api import ADMIN, Role

EDITOR = Role("editor", "writes, reviews and publishes the guide; runs the programme")
CONTRIBUTOR = Role("contributor", "writes drafts of the guide for an editor to publish")
ROLES = [ADMIN, EDITOR, CONTRIBUTOR]
