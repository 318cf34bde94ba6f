"""The admin API against its own OpenAPI document, with generated input and every check: no 500,
and every answer as documented (positive data acceptance is left out: a token's role is checked
against the service's roles, which the document does not list as an enum)."""
import tempfile

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from shared.settings import DEVELOPMENT_SECRET, load

from notifications.app import create_app
from notifications.bootstrap import bootstrap

ADMIN = {"Authorization": f"Bearer {DEVELOPMENT_SECRET}"}
APP = create_app(bootstrap(load("notifications", {"VAR_DIR": tempfile.mkdtemp(prefix="api-fuzz-")})))
schema = schemathesis.openapi.from_wsgi("/api/openapi.json", APP)


@schema.parametrize()
@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
def test_the_api_keeps_its_contract(case):
    case.call_and_validate(headers=ADMIN, excluded_checks=[positive_data_acceptance])
