"""What /metrics shows and how it is guarded, and what a loop counts, without servers.

Counters live in the process's one registry, so each test reads them before and after and checks
the difference."""
import threading
from datetime import datetime, timedelta, timezone

import pytest
from flask import Flask
from prometheus_client import REGISTRY
from prometheus_client.parser import text_string_to_metric_families

from shared import metrics
from shared.loops import Loop
from shared.metrics import LagCollector, MetricsSettings, instrument, load_settings
from shared.settings import SettingsError

pytestmark = pytest.mark.unit
TOKEN = "t" * 40


def app_with(settings: MetricsSettings = MetricsSettings()) -> Flask:
    app = Flask(__name__)
    app.add_url_rule("/people/<person_id>", "person", lambda person_id: "a page")
    instrument(app, "testing", settings)
    return app


def requests_counted(**labels) -> float:
    return REGISTRY.get_sample_value("cpw_http_requests_total", {"service": "testing", **labels}) or 0.0


def samples(text: str) -> dict:
    return {(sample.name, tuple(sorted(sample.labels.items()))): sample.value
            for family in text_string_to_metric_families(text) for sample in family.samples}


def test_a_request_is_counted_and_timed_under_its_route_never_its_path():
    client = app_with().test_client()
    route = {"method": "GET", "route": "/people/<person_id>", "status": "200"}
    before = requests_counted(**route)

    assert client.get("/people/ada-lovelace@example.org").status_code == 200
    page = client.get("/metrics")

    assert page.status_code == 200 and page.content_type.startswith("text/plain")
    assert "ada-lovelace" not in page.text
    found = samples(page.text)
    labels = tuple(sorted({"service": "testing", **route}.items()))
    assert found[("cpw_http_requests_total", labels)] == before + 1
    timing = tuple(sorted({"service": "testing", "method": "GET", "route": "/people/<person_id>"}.items()))
    assert found[("cpw_http_request_duration_seconds_count", timing)] >= 1


def test_every_metric_of_the_services_is_exposed_under_its_name():
    text = app_with().test_client().get("/metrics").text
    for name in ("cpw_http_requests_total", "cpw_http_request_duration_seconds", "cpw_loop_steps_total",
                 "cpw_loop_work_total", "cpw_loop_errors_total", "cpw_facts_appended_total",
                 "cpw_facts_projected_total", "cpw_messages_published_total", "cpw_messages_handled_total",
                 "cpw_messages_retried_total", "cpw_messages_dead_lettered_total", "cpw_mails_sent_total",
                 "cpw_mails_failed_total", "cpw_scheduled_items_due_total", "cpw_scheduled_items_late_total"):
        assert f"# TYPE {name} " in text, name


def test_unmatched_paths_and_unknown_methods_fall_into_one_label_each():
    client = app_with().test_client()
    unmatched = {"method": "GET", "route": "(unmatched)", "status": "404"}
    odd = {"method": "other", "route": "(unmatched)", "status": "404"}
    before = requests_counted(**unmatched), requests_counted(**odd)

    client.get("/no/such/page/for/ada")
    client.open("/also/missing", method="BREW")

    assert (requests_counted(**unmatched), requests_counted(**odd)) == (before[0] + 1, before[1] + 1)
    assert "/no/such" not in client.get("/metrics").text and "BREW" not in client.get("/metrics").text


def test_with_a_token_metrics_need_it():
    client = app_with(MetricsSettings(token=TOKEN)).test_client()
    assert client.get("/metrics").status_code == 401
    assert client.get("/metrics", headers={"Authorization": "Bearer wrong"}).status_code == 401
    assert client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"}).status_code == 200


def test_in_production_the_public_web_port_shows_metrics_only_with_a_token():
    assert app_with(MetricsSettings(production=True)).test_client().get("/metrics").status_code == 404
    guarded = app_with(MetricsSettings(token=TOKEN, production=True)).test_client()
    assert guarded.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"}).status_code == 200


@pytest.mark.parametrize("environ, app_env, named", [
    ({"METRICS_PORT": "ninety"}, "development", "METRICS_PORT"),
    ({"METRICS_PORT": "70000"}, "development", "METRICS_PORT"),
    ({"METRICS_TOKEN": "short"}, "production", "METRICS_TOKEN"),
])
def test_a_malformed_setting_is_refused_with_its_name(environ, app_env, named):
    with pytest.raises(SettingsError, match=named):
        load_settings(app_env, environ)


def test_unset_means_no_listener_and_an_open_page_in_development():
    assert load_settings("development", {}) == MetricsSettings()


def test_loop_processes_on_one_machine_get_ports_of_their_own():
    assert metrics.numbered_port(3, {"METRICS_PORT": "9100"})["METRICS_PORT"] == "9103"
    assert metrics.numbered_port(3, {}) is None


def loop_counts(name: str) -> tuple:
    labels = {"loop": name, "kind": "relay"}
    return tuple(REGISTRY.get_sample_value(f"cpw_loop_{what}_total", labels) or 0.0
                 for what in ("steps", "work", "errors"))


def test_a_loop_counts_its_steps_the_work_they_did_and_its_failures():
    stopping = threading.Event()
    outcomes = iter([3, 0, RuntimeError("broker away"), 2])

    def step():
        outcome = next(outcomes)
        if isinstance(outcome, Exception):
            raise outcome
        if outcome == 2:
            stopping.set()
        return outcome

    Loop("counting-loop", step, kind="relay", idle_wait=0, stopping=stopping).run()

    assert loop_counts("counting-loop") == (4, 5, 1)


class FakeRuntime:
    class settings:
        service = "testing"

    def __init__(self, lag=None, error=None):
        self._lag, self._error = lag, error

    def lag(self):
        if self._error:
            raise self._error
        return self._lag


def test_lag_is_shown_for_the_followers_this_process_runs_only():
    runtime = FakeRuntime({"relay": 4, "projection:activities": 2, "projection:programme": 0})

    family, = LagCollector(runtime, {"projector", "consumer"}).collect()

    assert {sample.labels["follower"]: sample.value for sample in family.samples} == {
        "projection:activities": 2, "projection:programme": 0}


def test_a_scrape_without_the_database_answers_without_lag():
    family, = LagCollector(FakeRuntime(error=ConnectionError("down")), {"relay"}).collect()
    assert family.samples == []


def test_a_scheduled_item_run_more_than_a_minute_after_it_fell_due_is_late():
    def counted():
        return tuple(REGISTRY.get_sample_value(f"cpw_scheduled_items_{what}_total", {"job": "testing"}) or 0.0
                     for what in ("due", "late"))
    due = datetime(2026, 11, 2, 10, 0, tzinfo=timezone.utc)
    before = counted()

    metrics.scheduled("testing", due, due + timedelta(seconds=30))
    metrics.scheduled("testing", due, due + timedelta(minutes=5))

    assert counted() == (before[0] + 2, before[1] + 1)
