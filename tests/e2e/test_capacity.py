"""Never overbooked: many people register for the last places at once, against several gunicorn
workers on PostgreSQL; every request is answered and confirmed places never exceed capacity."""
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.e2e.conftest import FormClient, open_activity, query
from tests.support.waiting import wait_until

pytestmark = pytest.mark.real_server
ROUNDS, PEOPLE, CAPACITY = 3, 24, 5


def test_concurrent_registrations_never_overbook(system):
    urls, databases, _, group = system
    for round_number in range(ROUNDS):
        activity_id = open_activity(urls["registration"], f"Capacity round {round_number}", capacity=CAPACITY)
        forms = [FormClient(urls["registration"], activity_id) for _ in range(PEOPLE)]
        start = threading.Barrier(PEOPLE)

        def register(index):
            start.wait()
            return forms[index].send(f"Person {index}", f"person-{index}-{uuid.uuid4().hex[:4]}@example.org")

        with ThreadPoolExecutor(PEOPLE) as pool:
            responses = list(pool.map(register, range(PEOPLE)))
        group.check_alive()
        facts = dict(query(databases["registration"],
                           "SELECT type, count(*) FROM facts WHERE stream_id = :s GROUP BY type",
                           s=f"activity-{activity_id}"))
        print(f"\nround {round_number}: answered={len(responses)} statuses={sorted({r.status_code for r in responses})} "
              f"confirmed={facts.get('RegistrationConfirmed', 0)} waitlisted={facts.get('RegistrationWaitlisted', 0)}")
        assert [r.status_code for r in responses] == [303] * PEOPLE
        assert facts.get("RegistrationConfirmed") == CAPACITY
        assert facts.get("RegistrationWaitlisted") == PEOPLE - CAPACITY
    wait_until(lambda: query(databases["registration"],
                             "SELECT sum(confirmed) FROM activities_view WHERE title LIKE 'Capacity round %'")[0][0]
               == ROUNDS * CAPACITY, what="the read table to show every round's confirmed places")
