"""Each service's /healthz against the real servers it depends on."""
import pytest

from shared.settings import load

from registration.app import create_app
from registration.bootstrap import bootstrap

pytestmark = pytest.mark.real_server


def test_healthz_answers_200_against_a_real_broker_and_postgresql(tmp_path, rabbitmq_url, postgres_url):
    service = bootstrap(load("registration", {"VAR_DIR": str(tmp_path), "AMQP_URL": rabbitmq_url,
                                              "REGISTRATION_DATABASE_URL": postgres_url}))
    try:
        response = create_app(service).test_client().get("/healthz")
    finally:
        service.runtime.engine.dispose()
    assert (response.status_code, response.json["broker"], response.json["database"]) == (200, "ok", "ok")
