"""What a person may tell us they need to take part, as choices beside their own words, and the
wording of the one consent the form asks for. The choices are sealed with the rest of the person's
details; the organiser's access brief counts each of them, never naming anyone."""

ACCESS_NEEDS = {
    "bsl_interpreter": "BSL interpreter",
    "captions": "Captions",
    "hearing_loop": "Hearing loop",
    "step_free": "Step-free access",
    "quiet_space": "Quiet space",
    "dietary": "Dietary needs",
}

BOOKING_EMAILS = ("We will email you about this booking only: your confirmation, a reminder, and any change to "
                  "the activity. You cannot turn these off while you hold a place.")
ANNOUNCEMENTS_WORDING = ("Tell me about future Co-production Weeks and the Co-production Guide. "
                         "I can unsubscribe at any time with the link in every email.")


def needs_of(personal: dict) -> list[str]:
    """The needs a person chose, in the form's order (none for details sealed before there were choices)."""
    chosen = set(personal.get("needs") or ())
    return [need for need in ACCESS_NEEDS if need in chosen]
