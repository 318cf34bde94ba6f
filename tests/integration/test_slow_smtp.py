"""A slow SMTP server (aiosmtpd that stores the message, then delays its reply to the end of the
data): the reply is waited for as long as RFC 5321 allows, a timeout there is an unknown outcome and
never a failure, and one slow answer holds back no other mail."""
import threading

import pytest

from shared.loops import run_loops
from shared.settings import load

from notifications.bootstrap import bootstrap
from notifications.delivery import OutcomeUnknown, SmtpDelivery
from tests.conftest import free_port
from tests.integration.test_smtp_delivery import a_message
from tests.support.mail import queue_mail
from tests.support.smtp import SlowSmtpServer
from tests.support.waiting import wait_until

SHORT = "greeting_timeout=2&mail_timeout=2&rcpt_timeout=2&data_timeout=2&block_timeout=2"


@pytest.fixture
def slow_server():
    server = SlowSmtpServer(free_port(), delay=4, slow_for=("slow@example.org",))
    server.start()
    yield server
    server.stop()


def test_the_reply_to_the_end_of_data_is_waited_for_longer_than_the_other_stages(slow_server):
    SmtpDelivery(f"{slow_server.url}?{SHORT}&end_of_data_timeout=30").send(a_message("slow@example.org"))
    assert len(slow_server.to("slow@example.org")) == 1


def test_a_timeout_after_the_data_was_sent_is_an_unknown_outcome(slow_server):
    with pytest.raises(OutcomeUnknown):
        SmtpDelivery(f"{slow_server.url}?{SHORT}&end_of_data_timeout=1").send(a_message("slow@example.org"))
    assert len(slow_server.to("slow@example.org")) == 1, "the server has it: sending again would be a copy"


def test_one_slow_answer_holds_back_no_other_mail(slow_server, tmp_path):
    service = bootstrap(load("notifications", {"VAR_DIR": str(tmp_path),
                                               "SMTP_URL": f"{slow_server.url}?end_of_data_timeout=30"}))
    queue_mail(service, "slow@example.org")
    queue_mail(service, "fast@example.org")
    stop = threading.Event()
    runner = threading.Thread(target=run_loops, args=(service.runtime.loops(service.parts, {"mailer"}), stop))
    runner.start()
    try:
        wait_until(lambda: "fast@example.org" in slow_server.answered, timeout=20, what="the fast mail")
        assert "slow@example.org" not in slow_server.answered, "the slow one is still waiting for its reply"
        wait_until(lambda: "slow@example.org" in slow_server.answered, timeout=20, what="the slow mail")
    finally:
        stop.set()
        runner.join(timeout=30)
        service.runtime.engine.dispose()
