"""`python -m notifications status`: where every mail stands, for an admin."""
import json

from shared.cli import main

from notifications.bootstrap import bootstrap
from tests.support.consuming import deliver
from tests.support.messages import activity_opened_message


def test_status_counts_mail_by_state_and_shows_each_followers_lag(tmp_path, monkeypatch, capsys,
                                                                  confirmed_message):
    monkeypatch.setenv("VAR_DIR", str(tmp_path))
    monkeypatch.setenv("BROKER_NAMESPACE", "status-test")
    deliver(bootstrap(), activity_opened_message(), confirmed_message())
    assert main(bootstrap, argv=["status"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["mail"] == {"queued": 1} and report["lag"] == {"projection:mail": 0}
    assert report["database"] == report["broker"] == "ok"


def test_a_bad_setting_is_one_line_naming_it(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("VAR_DIR", str(tmp_path))
    monkeypatch.setenv("SMTP_URL", "gopher://example")
    assert main(bootstrap, argv=["status"]) == 2
    assert "SMTP_URL must be a URL" in capsys.readouterr().err
