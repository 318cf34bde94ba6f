"""HTTP load from the bench process (aiohttp): a closed loop of concurrent clients, each sending
its next request when the last was answered, and an open loop sending on schedule whatever the
responses. Every request has a timeout and every loop a bounded count."""
import asyncio
import re
import time
from dataclasses import dataclass

import aiohttp

from bench.common import percentile

TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')
REQUEST_TIMEOUT = aiohttp.ClientTimeout(total=60)


@dataclass(frozen=True)
class Answer:
    status: int
    seconds: float     # the POST's (or the GET's) own latency
    answered_at: float  # time.time() when the response arrived


def client_session(clients: int) -> aiohttp.ClientSession:
    """No shared cookie jar: each registration carries its own session cookie."""
    return aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=clients), timeout=REQUEST_TIMEOUT,
                                 cookie_jar=aiohttp.DummyCookieJar())


async def get(session: aiohttp.ClientSession, url: str, headers: dict | None = None) -> Answer:
    started = time.perf_counter()
    async with session.get(url, headers=headers) as response:
        await response.read()
        return Answer(response.status, time.perf_counter() - started, time.time())


async def register(session: aiohttp.ClientSession, page_url: str, name: str, email: str) -> Answer:
    """A person on the form: GET the page for its CSRF token and cookie, POST it, follow nothing."""
    async with session.get(page_url) as page:
        found = TOKEN.search(await page.text())
        cookie = "; ".join(f"{key}={morsel.value}" for key, morsel in page.cookies.items())
    if found is None:
        return Answer(page.status, 0.0, time.time())
    form = {"csrf_token": found.group(1), "name": name, "email": email, "organisation": "",
            "access_needs": "Step-free access"}
    started = time.perf_counter()
    async with session.post(page_url, data=form, allow_redirects=False, headers={"Cookie": cookie}) as response:
        await response.read()
        return Answer(response.status, time.perf_counter() - started, time.time())


def closed_loop(clients: int, total: int, job, limit_seconds: float) -> tuple[dict[int, Answer], float]:
    """`total` jobs (job(session, index) -> Answer) by `clients` concurrent clients; returns the
    answers by job index and the seconds they took. Stops handing out jobs after limit_seconds."""
    async def run():
        answers, next_index = {}, iter(range(total))
        started = time.perf_counter()
        async with client_session(clients) as session:
            async def client():
                for index in next_index:
                    if time.perf_counter() - started > limit_seconds:
                        return
                    answers[index] = await _safely(job(session, index))
            await asyncio.gather(*(client() for _ in range(clients)))
        return answers, time.perf_counter() - started
    return asyncio.run(run())


def open_loop(rate: float, seconds: float, job, limit_seconds: float) -> tuple[dict[int, tuple[float, Answer]], float]:
    """rate*seconds jobs, the i-th started at i/rate whether or not earlier ones were answered.
    Returns {index: (sent at, by time.time(), answer)} and the largest delay of a start behind
    schedule."""
    async def run():
        loop, total = asyncio.get_running_loop(), int(rate * seconds)
        results, tasks, behind = {}, [], 0.0
        async with client_session(total) as session:
            async def one(index):
                sent_at = time.time()
                results[index] = (sent_at, await _safely(job(session, index)))
            start = loop.time()
            for index in range(total):
                due = start + index / rate
                await asyncio.sleep(max(0.0, due - loop.time()))
                behind = max(behind, loop.time() - due)
                tasks.append(asyncio.create_task(one(index)))
            _, late = await asyncio.wait(tasks, timeout=limit_seconds)
            for task in late:  # unanswered past the limit: counted as not accepted
                task.cancel()
            await asyncio.gather(*late, return_exceptions=True)
        return results, behind
    return asyncio.run(run())


def latency_ms(answers: dict, fraction: float, status: int) -> float:
    """A percentile of the latencies of the answers with this status, in milliseconds."""
    return round(percentile([a.seconds for a in answers.values() if a.status == status], fraction) * 1000, 1)


async def _safely(work) -> Answer:
    try:
        return await work
    except (aiohttp.ClientError, asyncio.TimeoutError):
        return Answer(0, 0.0, time.time())
