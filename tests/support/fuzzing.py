"""A service's admin API against its own OpenAPI document, with generated input and every check:
no 500, and every answer as documented. Two checks are left out (EXCLUDED, below). Positive data
acceptance expects every schema-valid body to be accepted, but cross-field rules (an activity ends after it starts) and
a token's role (checked against the service's roles) cannot be written in OpenAPI, and are answered
422 naming the field."""
import importlib
import tempfile

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import missing_required_header, positive_data_acceptance

from shared.settings import DEVELOPMENT_SECRET, load

GENERATED = settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))


def admin_api(service: str):
    """The schema of a fresh app of the service (SQLite in a directory of its own)."""
    bootstrap = importlib.import_module(f"{service}.bootstrap").bootstrap
    create_app = importlib.import_module(f"{service}.app").create_app
    app = create_app(bootstrap(load(service, {"VAR_DIR": tempfile.mkdtemp(prefix="api-fuzz-")})))
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", app)
    schema.auth()(AdminToken)  # schemathesis's own auth: its cases without a token then stay without one
    # A body over the apps' size limit (MAX_CONTENT_LENGTH) is refused 413 before it is read: a rejection.
    schema.config.checks.negative_data_rejection.expected_statuses.append("413")
    return schema


class AdminToken:
    """The admin token on every generated request but those that test leaving it out."""
    def get(self, case, context) -> str:
        return DEVELOPMENT_SECRET

    def set(self, case, data: str, context) -> None:
        case.headers = {**(case.headers or {}), "Authorization": f"Bearer {data}"}


def keeps_its_contract(case) -> None:
    case.call_and_validate(excluded_checks=EXCLUDED)


# missing_required_header allows only 400, 401, 403, 406, 415 and 422, but the one required header
# these APIs have is If-Match, whose absence RFC 6585 answers 428 (asserted in test_api_organisers.py).
EXCLUDED = [positive_data_acceptance, missing_required_header]
