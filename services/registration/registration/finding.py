"""Finding activities: the filters of the public list, as the URL carries them (a GET form, so a list
can be shared, bookmarked and gone back to). Filters of different kinds combine (all must hold);
within a kind, themes and formats are any of those ticked, access provisions all of them (a person
who needs both a hearing loop and step-free access needs both), and the area "online" means an
activity one can join from anywhere (online or hybrid)."""
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone

from shared.contracts.registration import COUNCIL_AREAS
from shared.timefmt import LONDON, in_london

ONLINE = "online"
AREAS = {**COUNCIL_AREAS, ONLINE: "Online (join from anywhere)"}
JOINABLE_ONLINE = ("online", "hybrid")


@dataclass(frozen=True)
class Filters:
    day: date | None = None
    themes: tuple[str, ...] = ()
    formats: tuple[str, ...] = ()
    area: str = ""
    provisions: tuple[str, ...] = ()
    text: str = ""

    @property
    def any(self) -> bool:
        return self != NO_FILTERS

    def day_bounds(self) -> tuple[datetime, datetime]:
        """The chosen day, midnight to midnight in the UK, as two moments in UTC (as the tables hold them)."""
        return tuple(datetime.combine(day, time(), tzinfo=LONDON).astimezone(timezone.utc)
                     for day in (self.day, self.day + timedelta(days=1)))


NO_FILTERS = Filters()


def days_of(moments: list[datetime]) -> list[date]:
    """The UK days these moments fall on, each once, in order."""
    return list(dict.fromkeys(in_london(moment).date() for moment in moments))
