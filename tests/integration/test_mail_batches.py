"""The mailer sends due mail in batches against a real SMTP server (aiosmtpd): one connection for
a batch, its results recorded together, a refusal that stops no other mail, and claims shared out
among senders side by side."""
import uuid

import pytest

from shared.scheduling import Scheduler
from shared.settings import load

from notifications.bootstrap import bootstrap
from notifications.delivery import SmtpDelivery
from notifications.mailer import Mailer
from notifications.projections import count_by_status
from tests.conftest import free_port
from tests.support.mail import queue_mail
from tests.support.smtp import RecordingSmtpServer

pytestmark = pytest.mark.real_server


@pytest.fixture
def server():
    server = RecordingSmtpServer(free_port(), refuse=("nobody@example.org",))
    server.start()
    yield server
    server.stop()


@pytest.fixture
def notifications(tmp_path, server):
    service = bootstrap(load("notifications", {"VAR_DIR": str(tmp_path), "SMTP_URL": server.url,
                                               "BROKER_NAMESPACE": f"t{uuid.uuid4().hex[:8]}"}))
    yield service
    service.runtime.engine.dispose()


def statuses(service) -> dict:
    service.runtime.projector(service.parts).catch_up()
    with service.runtime.engine.connect() as db:
        return count_by_status(db)


def test_a_batch_goes_over_one_connection_and_a_refusal_holds_back_no_other_mail(notifications, server):
    addresses = [f"person-{n}@example.org" for n in range(6)] + ["nobody@example.org"]
    for address in addresses:
        queue_mail(notifications, address)
    assert Mailer(notifications.runtime, SmtpDelivery(server.url)).send_due() == 1, "one batch"
    assert sorted(address for recipients, _ in server.messages for address in recipients) == addresses[:6]
    assert len(set(server.connections)) == 1, "the six mails went over one connection"
    assert statuses(notifications) == {"sent": 6, "failed": 1}


def test_senders_side_by_side_share_out_the_mail_that_is_due(notifications, server):
    for n in range(2):
        queue_mail(notifications, f"person-{n}@example.org")
    mailer = Mailer(notifications.runtime, SmtpDelivery(server.url))
    runtime = notifications.runtime
    first, second = (Scheduler(runtime.engine, runtime.due_work, [mailer.job], runtime.clock, side_by_side=4)
                     for _ in range(2))
    assert first.run_one() and len(server.messages) == 1, "two mails due among four senders: one each"
    assert second.run_one() and len(server.messages) == 2
    assert not first.run_one()
