"""latency: registrations offered on schedule (open loop: each sent at its time whatever the
responses) at 25, 50, 100 and 200 a second through the whole system; for each, the response to
email latency (from the POST's response to that person's mail reaching the sink, matched by the
recipient address, unique per registration), accepted, lost and duplicated. 100/s runs 60 s and
carries the goal: all accepted at the offered rate, p50 < 250 ms, p99 < 1 s."""
import uuid

from bench import load
from bench.common import Absolute, percentile, sized
from bench.system import mail_counts, running_system

RATES = (25, 50, 100, 200)
GOAL_RATE, ACTIVITIES, CAPACITY = 100, 10, 100_000
MAIL_WAIT = sized(60.0, 30.0)


def seconds_at(rate: int) -> float:
    return sized(60.0 if rate == GOAL_RATE else 15.0, 3.0)


def measure() -> list:
    figures = []
    with running_system() as system:
        for rate in RATES:
            figures += _offer(system, rate, seconds_at(rate))
        figures.append(system.peak_rss("latency"))
    return figures


def _offer(system, rate: int, seconds: float) -> list:
    pages = [f"{system.url}/activities/{i}" for i in system.open_activities(ACTIVITIES, CAPACITY)]
    tag = uuid.uuid4().hex[:6]

    def email(index):
        return f"r{rate}-{index}-{tag}@example.org"

    def job(session, index):
        return load.register(session, pages[index % len(pages)], "Bench Person", email(index))
    results, behind = load.open_loop(rate, seconds, job, limit_seconds=seconds + 60)
    answered = {email(index): answer for index, (_, answer) in results.items()}
    accepted = {email for email, answer in answered.items() if answer.status == 303}
    mails = system.mails_to(accepted, MAIL_WAIT)
    return _figures(rate, seconds, results, behind, answered, accepted, mails)


def _figures(rate, seconds, results, behind, answered, accepted, mails) -> list:
    offered = int(rate * seconds)
    latencies = [min(mails[email]) - answered[email].answered_at for email in accepted if email in mails]
    first_sent = min((sent for sent, _ in results.values()), default=0.0)
    last_answer = max((answered[email].answered_at for email in accepted), default=first_sent)
    accepted_rate = len(accepted) / max(last_answer - first_sent, 1e-9)
    lost, duplicated = mail_counts(accepted, mails)
    goal = rate == GOAL_RATE
    p50, p99 = percentile(latencies, 0.5) * 1000, percentile(latencies, 0.99) * 1000
    all_in = len(accepted) == offered and accepted_rate >= 0.95 * rate
    return [
        Absolute(f"{rate}/s accepted", "of offered", len(accepted) / offered, "all" if goal else "",
                 (len(accepted) == offered) if goal else None, detail={"offered": offered, "accepted": len(accepted),
                                                                        "start behind schedule s": round(behind, 3)}),
        Absolute(f"{rate}/s accepted rate", "registrations/s", accepted_rate, f">= {rate}/s" if goal else "",
                 all_in if goal else None),
        Absolute(f"{rate}/s response to email p50", "ms", p50, "< 250 ms" if goal else "", (p50 < 250) if goal else None),
        Absolute(f"{rate}/s response to email p99", "ms", p99, "< 1000 ms" if goal else "", (p99 < 1000) if goal else None),
        Absolute(f"{rate}/s lost mails (none {MAIL_WAIT:.0f} s after)", "mails", lost, "0", lost == 0),
        Absolute(f"{rate}/s duplicated mails", "mails", duplicated, "0", duplicated == 0),
    ]
