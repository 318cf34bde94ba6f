"""Who may call what, for every operation of every service's admin API, generated from its OpenAPI
document so that a new endpoint cannot be left out: each operation is called with an admin token, a
token of each role the operation does not admit, a revoked token, no token and malformed headers.
Unauthenticated is 401 with `WWW-Authenticate: Bearer`; a role that may not is 403. PostgreSQL and
RabbitMQ are the real ones; every route under /api/ must be in the document."""
import re
import uuid

import pytest

from shared.settings import DEVELOPMENT_SECRET, load

import content.app
import content.bootstrap
import notifications.app
import notifications.bootstrap
import registration.app
import registration.bootstrap

SERVICES = {"registration": (registration.bootstrap.bootstrap, registration.app.create_app),
            "content": (content.bootstrap.bootstrap, content.app.create_app),
            "notifications": (notifications.bootstrap.bootstrap, notifications.app.create_app)}
pytestmark = pytest.mark.real_server
BOOTSTRAP_ADMIN = {"Authorization": f"Bearer {DEVELOPMENT_SECRET}"}
METHODS = ("get", "post", "put", "patch", "delete")
UNAUTHENTICATED = "401 Bearer"


@pytest.fixture(params=list(SERVICES))
def api(request, postgres_url, rabbitmq_url, broker_namespace):
    service = request.param
    make, create_app = SERVICES[service]
    settings = load(service, {f"{service.upper()}_DATABASE_URL": postgres_url, "AMQP_URL": rabbitmq_url,
                              "BROKER_NAMESPACE": broker_namespace})
    built = make(settings)
    yield create_app(built).test_client()
    built.runtime.engine.dispose()


def operations(spec: dict):
    for path, item in spec["paths"].items():
        for method in METHODS:
            if method in item:
                yield method, path, item[method], item.get("parameters", []) + item[method].get("parameters", [])


def concrete(path: str, parameters: list) -> str:
    """A path with each parameter filled: a fresh UUID where it is one, else a word."""
    formats = {p["name"]: p.get("schema", {}).get("format") for p in parameters if p["in"] == "path"}
    return re.sub(r"\{(\w+)\}", lambda m: str(uuid.uuid4()) if formats.get(m.group(1)) == "uuid" else "x", path)


def issue(client, role: str) -> tuple[str, dict]:
    """A token of this role (an organiser's for an organisation): its id and its header."""
    body = {"name": f"matrix {role}", "role": role}
    if role == "organiser":
        body["organisation"] = "Matrix Network"
    issued = client.post("/api/tokens", json=body, headers=BOOTSTRAP_ADMIN)
    assert issued.status_code == 201, issued.json
    return issued.json["id"], {"Authorization": f"Bearer {issued.json['token']}"}


def callers(client, roles: list[str]) -> dict[str, tuple[dict, str | None]]:
    """Each caller's headers, and the role it holds (None: it is not authenticated)."""
    tokens = {role: issue(client, role)[1] for role in roles}
    revoked_id, revoked = issue(client, "admin")
    assert client.delete(f"/api/tokens/{revoked_id}", headers=BOOTSTRAP_ADMIN).status_code == 204
    admin = tokens["admin"]["Authorization"].removeprefix("Bearer ")
    return {**{role: (headers, role) for role, headers in tokens.items()},
            "revoked": (revoked, None), "no token": ({}, None),
            "no Bearer prefix": ({"Authorization": admin}, None),
            "trailing space": ({"Authorization": f"Bearer {admin} "}, None),
            "basic": ({"Authorization": "Basic YWRtaW46YWRtaW4="}, None)}


def outcome(response) -> str:
    if response.status_code == 401:
        return UNAUTHENTICATED if response.headers.get("WWW-Authenticate", "").startswith("Bearer") else "401 bare"
    return "403" if response.status_code == 403 else ("500" if response.status_code >= 500 else "admitted")


def expected(holds: str | None, admitted: list[str]) -> str:
    return UNAUTHENTICATED if holds is None else ("admitted" if holds in admitted else "403")


def test_every_operation_admits_its_roles_only_and_asks_everyone_else_for_a_bearer_token(api):
    spec = api.get("/api/openapi.json").json
    everyone = callers(api, list(spec["x-roles"]))
    rows, wrong = [], []
    for method, path, operation, parameters in operations(spec):
        admitted = operation.get("x-roles", ["admin"])
        for caller, (headers, holds) in everyone.items():
            response = api.open(concrete(path, parameters), method=method.upper(), headers=headers,
                                json={} if method in ("post", "put", "patch") else None)
            got, want = outcome(response), expected(holds, admitted)
            rows.append(f"{method.upper():6} {path:40} {caller:18} {response.status_code}")
            if got != want:
                wrong.append(f"{method.upper()} {path} as {caller}: {got}, expected {want}")
    print("\n".join(rows))
    assert wrong == [] and len(rows) >= 5 * len(list(operations(spec)))


def test_every_api_route_is_in_the_openapi_document(api):
    spec = api.get("/api/openapi.json").json
    documented = {(m.upper(), re.sub(r"\{(\w+)\}", r"<\1>", p)) for m, p, _, _ in operations(spec)}
    routed = {(method, re.sub(r"<(?:\w+:)?(\w+)>", r"<\1>", rule.rule))
              for rule in api.application.url_map.iter_rules() if rule.rule.startswith("/api/")
              for method in rule.methods - {"HEAD", "OPTIONS"} if rule.rule != "/api/openapi.json"}
    assert routed - documented == set()
