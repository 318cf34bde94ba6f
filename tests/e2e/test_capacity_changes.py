"""Cancellations, registrations and capacity changes all at once, against several gunicorn workers on
PostgreSQL: confirmed places never exceed the capacity at any version of the stream, every freed
place (a cancellation, a raise) promotes exactly one person waiting, and they are promoted in the
order they joined. The counts are printed."""
import json
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from shared.settings import DEVELOPMENT_SECRET
from tests.e2e.conftest import FormClient, open_activity, query
from tests.support.waiting import wait_until

pytestmark = pytest.mark.real_server
ADMIN = {"Authorization": f"Bearer {DEVELOPMENT_SECRET}"}
CAPACITY, FIRST_PEOPLE, LATE_PEOPLE, CANCELLED, RAISES = 4, 10, 8, 3, (6, 7)


def replay(database_url: str, activity_id: str) -> dict:
    """The stream, fact by fact: where confirmed places exceeded the capacity ("over"), or a place stood
    free while someone waited ("idle") after any command's facts; the promotions in order, and the
    waitlist as people joined it. (Every place here is one person's: nobody brings a carer.)"""
    rows = query(database_url, "SELECT type, data, recorded_at FROM facts WHERE stream_id = :s ORDER BY version",
                 s=f"activity-{activity_id}")
    capacity, places, joined, promoted, over, idle = 0, {}, [], [], [], []
    for number, (fact_type, data, recorded_at) in enumerate(rows):
        data = json.loads(data)
        if fact_type == "ActivityDrafted" or fact_type == "CapacityChanged":
            capacity = data["capacity"]
        elif fact_type in ("RegistrationConfirmed", "RegistrationWaitlisted"):
            places[data["registration_id"]] = "confirmed" if fact_type == "RegistrationConfirmed" else "waiting"
            joined += [data["registration_id"]] if fact_type == "RegistrationWaitlisted" else []
        elif fact_type == "RegistrationPromoted":
            places[data["registration_id"]] = "confirmed"
            promoted.append(data["registration_id"])
        elif fact_type == "RegistrationCancelled":
            places[data["registration_id"]] = "cancelled"
        confirmed = sum(1 for status in places.values() if status == "confirmed")
        over += [(fact_type, confirmed, capacity)] if confirmed > capacity else []
        command_done = number + 1 == len(rows) or rows[number + 1][2] != recorded_at  # one append, one moment
        waiting = list(places.values()).count("waiting")
        idle += [(fact_type, confirmed, capacity)] if command_done and waiting and confirmed < capacity else []
    statuses = list(places.values())
    return {"capacity": capacity, "confirmed": statuses.count("confirmed"), "waiting": statuses.count("waiting"),
            "cancelled": statuses.count("cancelled"), "promoted": promoted, "joined": joined, "over": over,
            "idle": idle}


def raise_capacity(url: str, activity_id: str, capacity: int) -> int:
    """Read the version, send the change under If-Match; a 412 (someone changed it meanwhile) reads again.
    A 409 is an answer too: after the raise to 7, 6 is below the places confirmed."""
    def attempt():
        version = requests.get(f"{url}/api/activities/{activity_id}", headers=ADMIN, timeout=10).headers.get("ETag")
        answer = requests.put(f"{url}/api/activities/{activity_id}/capacity", json={"capacity": capacity},
                              headers={**ADMIN, "If-Match": version or '"0"'}, timeout=30)
        assert answer.status_code in (200, 409, 412), answer.text
        return answer.status_code != 412 and answer.status_code
    return wait_until(attempt, timeout=60, what=f"the capacity raised to {capacity}", interval=0.05)


def test_cancellations_registrations_and_capacity_changes_at_once(system):
    urls, databases, _, group = system
    url = urls["registration"]
    activity_id = open_activity(url, "Everything at once", capacity=CAPACITY)
    for index in range(FIRST_PEOPLE):
        assert FormClient(url, activity_id).send(f"Early {index}", f"early-{index}@example.org").status_code == 303
    confirmed = wait_until(lambda: requests.get(f"{url}/api/activities/{activity_id}/bookings", headers=ADMIN,
                                                timeout=10).json(), what="the confirmed list")
    forms = [FormClient(url, activity_id) for _ in range(LATE_PEOPLE)]
    jobs = ([lambda i=i: requests.post(f"{url}/api/activities/{activity_id}/bookings/{confirmed[i]['registration_id']}"
                                       f"/cancel", json={}, headers=ADMIN, timeout=30).status_code
             for i in range(CANCELLED)]
            + [lambda i=i: forms[i].send(f"Late {i}", f"late-{i}-{uuid.uuid4().hex[:4]}@example.org").status_code
               for i in range(LATE_PEOPLE)]
            + [lambda c=c: raise_capacity(url, activity_id, c) for c in RAISES])
    start = threading.Barrier(len(jobs))

    def run(job):
        start.wait()
        return job()

    with ThreadPoolExecutor(len(jobs)) as pool:
        answers = list(pool.map(run, jobs))
    group.check_alive()
    found = replay(databases["registration"], activity_id)
    print(f"\nanswers={answers} capacity={found['capacity']} confirmed={found['confirmed']} "
          f"waiting={found['waiting']} cancelled={found['cancelled']} promoted={len(found['promoted'])}")
    assert answers[:-2] == [200] * CANCELLED + [303] * LATE_PEOPLE and answers[-2] in (200, 409) and answers[-1] == 200
    assert found["over"] == [] and found["idle"] == []
    assert found["confirmed"] == found["capacity"] == max(RAISES)
    assert len(found["promoted"]) == CANCELLED + found["capacity"] - CAPACITY
    assert found["promoted"] == found["joined"][:len(found["promoted"])]
    assert found["waiting"] == FIRST_PEOPLE + LATE_PEOPLE - CANCELLED - found["confirmed"]
