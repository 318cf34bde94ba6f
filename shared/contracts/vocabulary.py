"""Words the services share. The week's sectors are one list: what an activity is about (registration
calls them its themes, `?theme=` on the list page) and where a case study's work happened (content's
sector, `?sector=` on /case-studies). Keys are hyphenated, as they appear in addresses."""

SECTORS = {
    "health-and-social-care": "Health and social care",
    "housing": "Housing",
    "education": "Education",
    "community-and-third-sector": "Community and third sector",
    "place-making-and-planning": "Place-making and planning",
    "arts-and-culture": "Arts and culture",
    "research-and-learning": "Research and learning",
}
