"""A mailer process SIGKILLed again and again while it sends to aiosmtpd, on PostgreSQL. Counted by
Message-ID at the server: no mail delivered twice, none lost; a mail whose outcome is unknown (the
kill fell between the final "." and recording the reply) is reported, never sent again unattended."""
from collections import Counter

import pytest

from shared.settings import load

from notifications.bootstrap import bootstrap
from notifications.composer import message_id
from notifications.projections import count_by_status, mails
from tests.conftest import free_port
from tests.support.mail import queue_mail
from tests.support.processes import ProcessGroup
from tests.support.smtp import SlowSmtpServer
from tests.support.waiting import wait_until

pytestmark = pytest.mark.real_server
MAILS, KILLS = 150, 10
TIMEOUTS = "greeting_timeout=1&mail_timeout=1&rcpt_timeout=1&data_timeout=1&block_timeout=1&end_of_data_timeout=3"


def test_a_mailer_killed_ten_times_sends_no_mail_twice_and_loses_none(tmp_path, postgres_url):
    server = SlowSmtpServer(free_port(), delay=0.05)  # a short wait for the reply: a window to kill in
    server.start()
    env = {"NOTIFICATIONS_DATABASE_URL": postgres_url, "SMTP_URL": f"{server.url}?{TIMEOUTS}",
           "VAR_DIR": str(tmp_path)}
    service = bootstrap(load("notifications", env))
    processes = ProcessGroup(tmp_path, env)
    try:
        for n in range(MAILS):
            queue_mail(service, f"person{n}@example.org")
        for kill in range(KILLS):
            seen = len(server.messages)
            processes.start(f"mailer-{kill}", "-m", "notifications", "mailer")
            wait_until(lambda: len(server.messages) >= min(seen + 10, MAILS), timeout=120, what="more deliveries")
            processes.children[-1][1].kill()
            processes.children[-1][1].wait()
        processes.start("mailer-last", "-m", "notifications", "mailer")
        wait_until(lambda: _settled(service), timeout=240, what="every mail sent or unknown")
        _count_and_check(service, server)
    finally:
        processes.stop()
        server.stop()
        service.runtime.engine.dispose()


def _settled(service) -> bool:
    service.runtime.projector(service.parts).catch_up()
    with service.runtime.engine.connect() as db:
        states = count_by_status(db)
    return states.get("sent", 0) + states.get("unknown", 0) == MAILS


def _count_and_check(service, server) -> None:
    with service.runtime.engine.connect() as db:
        status = dict(db.execute(mails.select().with_only_columns(mails.c.mail_id, mails.c.status)).all())
    delivered = Counter(server.message_ids())
    mail_from = service.runtime.settings.mail_from
    ids = {mail_id: message_id(mail_id, mail_from) for mail_id in status}
    twice = sum(1 for count in delivered.values() if count > 1)
    lost = sum(1 for mail_id, state in status.items() if state == "sent" and not delivered[ids[mail_id]])
    unknown = [mail_id for mail_id, state in status.items() if state == "unknown"]
    unknown_delivered = sum(1 for mail_id in unknown if delivered[ids[mail_id]])
    print(f"\nmails {MAILS}, kills {KILLS}: delivered {len(delivered)}, delivered twice {twice}, lost {lost}, "
          f"unknown {len(unknown)} (of which the server has {unknown_delivered})")
    assert twice == 0 and lost == 0
    assert len(delivered) + (len(unknown) - unknown_delivered) == MAILS
    assert service.runtime.health().get("needs_attention", {}).get("unresolved_mail", 0) == len(unknown)
