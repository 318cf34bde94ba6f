"""rush: the opening rush through the whole system: 5,000 registrations by 32 clients over 50
activities of 60 places. Goals: all accepted within 20 s; the last email within 10 s of the last
acceptance; no activity overbooked (confirmed > capacity, from the admin API); none lost or
duplicated. Beside them, the CPU a registration cost each process, from the first POST until every
mail had arrived (bench/cpu.py)."""
import uuid

from bench import load
from bench.common import Absolute, sized
from bench.cpu import cpu_seconds, per_registration
from bench.system import mail_counts, running_system, wait_for

REGISTRATIONS, ACTIVITIES, PLACES, CLIENTS = sized(5000, 500), sized(50, 5), 60, 32
LIMIT, MAIL_WAIT = 120.0, sized(120.0, 60.0)


def measure() -> list:
    with running_system() as system:
        ids = system.open_activities(ACTIVITIES, PLACES)
        pages = [f"{system.url}/activities/{i}" for i in ids]
        tag = uuid.uuid4().hex[:6]
        def email(index):
            return f"rush-{index}-{tag}@example.org"

        def job(session, index):
            return load.register(session, pages[index % len(pages)], "Bench Person", email(index))
        cpu_before = cpu_seconds(system.pid)
        answers, seconds = load.closed_loop(CLIENTS, REGISTRATIONS, job, LIMIT)
        accepted = {email(i) for i, answer in answers.items() if answer.status == 303}
        last_accepted = max((a.answered_at for a in answers.values() if a.status == 303), default=0.0)
        mails = system.mails_to(accepted, MAIL_WAIT)
        cpu = per_registration(cpu_before, cpu_seconds(system.pid), len(accepted))
        overbooked = _overbooked(system, ids, len(accepted))
        figures = _figures(answers, seconds, accepted, last_accepted, mails, overbooked)
        figures.append(Absolute("rush: CPU per registration, all processes", "ms", sum(cpu.values()), detail=cpu))
        figures.append(system.peak_rss("rush"))
    return figures


def _overbooked(system, ids: list[str], accepted: int) -> int:
    """Activities with more confirmed than places, once the read table shows every registration."""
    def counted():
        return sum(a["confirmed"] + a["waitlisted"] for a in map(system.activity, ids)) >= accepted
    wait_for(counted, 60, "the read table to count every registration")
    return sum(1 for a in map(system.activity, ids) if a["confirmed"] > a["capacity"])


def _figures(answers, seconds, accepted, last_accepted, mails, overbooked) -> list:
    lost, duplicated = mail_counts(accepted, mails)
    last_mail = max((max(times) for times in mails.values()), default=last_accepted)
    all_in = len(accepted) == REGISTRATIONS
    return [
        Absolute("rush: all accepted in", "s", seconds, "<= 20 s, all accepted", all_in and seconds <= 20,
                 detail={"registrations": REGISTRATIONS, "accepted": len(accepted),
                         "rate": round(len(accepted) / seconds, 1)}),
        Absolute("rush: last email after last acceptance", "s", last_mail - last_accepted, "<= 10 s",
                 lost == 0 and last_mail - last_accepted <= 10),
        Absolute("rush: overbooked activities", "activities", overbooked, "0", overbooked == 0),
        Absolute(f"rush: lost mails (none {MAIL_WAIT:.0f} s after)", "mails", lost, "0", lost == 0),
        Absolute("rush: duplicated mails", "mails", duplicated, "0", duplicated == 0),
    ]
