"""The admin API against its own OpenAPI document, with generated input and every check:
no 500, and every answer as documented. One check is left out: positive data acceptance expects
every schema-valid body to be accepted, but an activity's cross-field rules (it ends after it
starts; in person needs a venue) cannot be written in OpenAPI, and are answered 422 naming the field."""
import tempfile

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from shared.settings import DEVELOPMENT_SECRET, load

from registration.app import create_app
from registration.bootstrap import bootstrap

ADMIN = {"Authorization": f"Bearer {DEVELOPMENT_SECRET}"}
APP = create_app(bootstrap(load("registration", {"VAR_DIR": tempfile.mkdtemp(prefix="api-fuzz-")})))
schema = schemathesis.openapi.from_wsgi("/api/openapi.json", APP)


@schema.parametrize()
@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
def test_the_api_keeps_its_contract(case):
    case.call_and_validate(headers=ADMIN, excluded_checks=[positive_data_acceptance])
