"""Demo sections of the Co-production Guide (one with an Easy Read version, one a sub-section), posts and case studies,
written for the project (the organisations are invented); loaded once, on first start."""
from shared.actors import Actor

from content.domain.articles import CASE_STUDY, POST
from content.domain.commands import WriteArticle, WriteSection

DEMO = Actor.system("demo")

SECTIONS = [
    ("what-is-co-production", "What co-production is", """
Co-production means people who use services, their families and carers, and the people who
provide services working together **as equals**, from the start, to design, deliver and improve
what matters to them.

It is not consultation after the decisions are made. It is sharing power, sharing risk and sharing
credit.
"""),
    ("principles", "Principles we work by", """
1. **Assets, not deficits.** Everyone brings knowledge and skills; lived experience is expertise.
2. **Reciprocity.** People get something back for what they give: learning, recognition, payment
   where it is due.
3. **Equal voices.** Meetings, papers and decisions are set up so that nobody is left out.
4. **Building networks.** Co-production grows relationships that last beyond a single project.
5. **Sharing power.** Decisions are made together, and it is clear who decides what.
"""),
    ("planning-an-activity", "Planning a co-produced activity", """
Start by asking who is missing from the room, and plan with them, not for them.

- Agree the purpose together before fixing a date.
- Budget for people's time, travel and care costs.
- Choose times and places that suit the people you most want to hear from.
- Share papers in advance, in plain language and in the formats people ask for.
"""),
    ("accessibility", "Accessibility and inclusion", """
Ask everyone about their access needs when they register, and act on what they tell you.

Common requests include BSL interpretation, live captions, step-free access, easy-read materials,
a quiet space, breaks, and a support worker or carer coming along. Online sessions need captions
and materials sent beforehand; in-person sessions need clear directions and accessible toilets.
"""),
]

SUB_SECTION = ("embedding-co-production", "Embedding co-production in an organisation", "what-is-co-production", """
Co-production lasts when it is part of how an organisation works, not a one-off project.

- Name a senior person who is answerable for it, and give them time to do it.
- Write it into job descriptions, budgets and the way decisions are signed off.
- Pay people with lived experience for their time, promptly and without fuss.
- Look back each year, together, at what changed because of it.
""")
EASY_READ = ("accessibility-easy-read", "Easy Read: meetings everyone can join", "accessibility", """
Ask people what they need.

Do what they ask.

Some people need a BSL interpreter.

Some people need words on the screen.

Send the papers before the meeting.
""")
ARTICLES = [
    (POST, "week-ahead", "The week ahead", "What is on across Scotland this Co-production Week.", ["week-ahead"], None,
     "Activities run **online, in person and hybrid** all week. See [the programme](/programme) and book a place."),
    (POST, "paying-people-for-their-time", "Paying people for their time", "Why we budget for people's time first.",
     ["reciprocity", "planning"], None,
     "People with lived experience bring expertise. We pay for it, as we pay for any other expertise."),
    (CASE_STUDY, "tenants-shaping-repairs", "Tenants shaping repairs", "How tenants and staff redesigned repairs.",
     ["planning"], ("Example Housing Co-operative", "housing"),
     "Tenants and repairs staff met monthly for a year.\n\n## What changed\n\n"
     "Repairs are booked at times tenants choose."),
    (CASE_STUDY, "wards-we-designed", "Wards we designed together", "Patients, families and nurses planned a new ward.",
     ["reciprocity"], ("Example Health Board", "health-and-social-care"),
     "Patients and families chose the colours, the signs and where the quiet room went."),
]


def _articles(service) -> None:
    for kind, slug, title, summary, tags, case, body in ARTICLES:
        organisation, sector = case or (None, None)
        service.handle(WriteArticle(actor=DEMO, kind=kind, slug=slug, title=title, summary=summary, body=body,
                                    author="Co-production Week team", tags=tags, organisation=organisation,
                                    sector=sector, publish=True))


def seed(service) -> bool:
    """Load the demo guide unless the log already holds facts; True when it loaded."""
    runtime = service.runtime
    with runtime.engine.connect() as db:
        if runtime.store.last_position(db):
            return False
    for position, (slug, title, body) in enumerate(SECTIONS, start=1):
        service.handle(WriteSection(actor=DEMO, slug=slug, title=title, body=body.strip(), position=position,
                                    publish=True))
    slug, title, parent, body = SUB_SECTION
    service.handle(WriteSection(actor=DEMO, slug=slug, title=title, body=body.strip(), position=1, parent=parent,
                                publish=True))
    slug, title, standard, body = EASY_READ
    service.handle(WriteSection(actor=DEMO, slug=slug, title=title, body=body.strip(), position=len(SECTIONS) + 1,
                                easy_read_of=standard, publish=True))
    _articles(service)
    return True
