"""docker-compose.yml and deploy/, checked without a Docker engine.

The stack cannot be started here, so these tests read the files instead: every process of a
service gets what shared.settings says it needs, no secret is written down, every interpolated
variable is documented in deploy/env.example, and the image and entrypoint run the right thing.
"""
import re
import shlex
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

from shared.settings import DEFAULT_PORTS, SettingsError, load, required_variables, service_variable

from notifications.bootstrap import REQUIRES as NOTIFICATIONS_REQUIRES

ROOT = Path(__file__).resolve().parents[1]
DEPLOY = ROOT / "deploy"
SERVICES = tuple(DEFAULT_PORTS)
PROCESSES = ("web", "relay", "worker")

# ${NAME}, ${NAME:-default}, ${NAME:?message}; $${...} is an escaped literal, not interpolation.
INTERPOLATION = re.compile(r"(?<!\$)\$\{([A-Za-z_][A-Za-z0-9_]*)((?::?[-?])([^}]*))?\}")
REQUIRED = re.compile(r"^\$\{[A-Za-z_][A-Za-z0-9_]*:\?[^}]+\}$")
SECRET_NAME = re.compile(r"(SECRET_KEY|DATA_KEY|ADMIN_TOKEN|PASSWORD|_PASS)$")
# scheme://user:password@ where either part may itself be an interpolation (which may hold : and spaces).
CREDENTIALS = re.compile(r"[a-z][a-z0-9+.-]*://((?:\$\{[^}]*\}|[^\s:@/$])*):((?:\$\{[^}]*\}|[^\s@/$])+)@")


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


@pytest.fixture(scope="module")
def env_example() -> dict:
    values = {}
    for line in (DEPLOY / "env.example").read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            name, _, value = line.partition("=")
            values[name.strip()] = value.strip().strip('"')
    return values


def environment(definition: dict) -> dict:
    """A service's environment as a dict, whichever of the two compose forms it uses."""
    env = definition.get("environment") or {}
    if isinstance(env, list):
        env = dict(item.partition("=")[::2] for item in env)
    return {name: "" if value is None else str(value) for name, value in env.items()}


def command(definition: dict) -> list:
    value = definition.get("command") or []
    return shlex.split(value) if isinstance(value, str) else [str(part) for part in value]


def resolve(value: str) -> str:
    """What compose makes of a value: defaults filled in, required variables as <NAME>."""
    def one(match):
        name, operator, default = match.group(1), match.group(2) or "", match.group(3) or ""
        return default if "-" in operator else f"<{name}>"
    return INTERPOLATION.sub(one, value)


def scalars(node, key=None):
    """Every (key, string value) pair in the parsed file, x- extension blocks included."""
    if isinstance(node, dict):
        for name, value in node.items():
            yield from scalars(value, str(name))
    elif isinstance(node, list):
        for item in node:
            if isinstance(item, str) and "=" in item and key == "environment":
                yield tuple(item.split("=", 1))
            else:
                yield from scalars(item, key)
    elif isinstance(node, str):
        yield key, node


def processes_of(compose: dict, service: str) -> dict:
    """The compose services built from deploy/Dockerfile for this service."""
    return {name: definition for name, definition in compose["services"].items()
            if (definition.get("build") or {}).get("args", {}).get("SERVICE") == service}


# --- infrastructure ----------------------------------------------------------------------------

def test_rabbitmq_postgres_and_a_mail_catcher_are_part_of_the_stack(compose):
    services = compose["services"]
    rabbitmq, postgres, mailpit = services["rabbitmq"], services["postgres"], services["mailpit"]

    assert rabbitmq["image"].startswith("rabbitmq:3.13-management")
    assert "rabbitmq-diagnostics" in rabbitmq["healthcheck"]["test"]
    assert any(str(port).endswith("15672:15672") for port in rabbitmq["ports"])

    assert postgres["image"] == "postgres:16"
    assert "pg_isready" in postgres["healthcheck"]["test"]
    mounts = [volume.split(":") for volume in postgres["volumes"] if volume.startswith("./")]
    initdb = [source for source, target, *_ in mounts if target.startswith("/docker-entrypoint-initdb.d/")]
    assert initdb and all((ROOT / source).is_file() for source in initdb)

    assert mailpit["image"].startswith("axllent/mailpit")
    assert any(str(port).endswith("8025:8025") for port in mailpit["ports"])


def test_the_init_script_creates_one_database_and_role_per_service():
    script = DEPLOY / "postgres" / "init-databases.sh"
    subprocess.run(["bash", "-n", str(script)], check=True)
    loop = re.search(r"^for service in ([a-z ]+); do$", script.read_text(), re.M)
    assert loop and set(loop.group(1).split()) == set(SERVICES)
    for statement in ("CREATE ROLE", "CREATE DATABASE", "REVOKE ALL ON DATABASE"):
        assert statement in script.read_text()


# --- the service processes ---------------------------------------------------------------------

@pytest.mark.parametrize("service", SERVICES)
@pytest.mark.parametrize("process", PROCESSES)
def test_each_service_runs_web_relay_and_worker_from_the_one_dockerfile(compose, service, process):
    definition = compose["services"][f"{service}-{process}"]
    build = definition["build"]
    assert (ROOT / build["context"]).resolve() == ROOT
    assert build["dockerfile"] == "deploy/Dockerfile" and (ROOT / build["dockerfile"]).is_file()
    assert build["args"]["SERVICE"] == service
    assert command(definition) == [process]
    assert definition["restart"] == "unless-stopped"
    for dependency in ("rabbitmq", "postgres"):
        assert definition["depends_on"][dependency]["condition"] == "service_healthy"


@pytest.mark.parametrize("service", SERVICES)
def test_every_process_gets_the_variables_its_service_requires(compose, service):
    processes = processes_of(compose, service)
    assert {f"{service}-{process}" for process in PROCESSES} <= set(processes)
    for name, definition in processes.items():
        env = environment(definition)
        missing = required_variables(service, NOTIFICATIONS_REQUIRES if service == "notifications" else ()) - set(env)
        assert not missing, f"{name} lacks {sorted(missing)}"
        assert env["APP_ENV"] == "production", name
        assert "BROKER_NAMESPACE" in env, name
        for other in SERVICES:
            assert service_variable(other, "PUBLIC_URL") in env, name


@pytest.mark.parametrize("service", SERVICES)
def test_each_service_has_its_own_database_and_reaches_the_stack_by_name(compose, service):
    for name, definition in processes_of(compose, service).items():
        env = environment(definition)
        database = urlsplit(resolve(env[service_variable(service, "DATABASE_URL")]))
        assert (database.scheme, database.hostname, database.path) == ("postgresql", "postgres", f"/{service}")
        assert database.username == service, name
        assert urlsplit(resolve(env["AMQP_URL"])).hostname == "rabbitmq"
        if "SMTP_URL" in env:
            assert urlsplit(resolve(env["SMTP_URL"])).hostname in compose["services"]


@pytest.mark.parametrize("service", SERVICES)
def test_each_web_process_listens_and_is_published_on_its_default_port(compose, service):
    web = compose["services"][f"{service}-web"]
    port = DEFAULT_PORTS[service]
    assert environment(web)[service_variable(service, "PORT")] == str(port)
    published = [str(mapping).split(":")[-2:] for mapping in web["ports"]]
    assert [str(port), str(port)] in published
    assert "/healthz" in " ".join(web["healthcheck"]["test"])


# --- secrets and .env --------------------------------------------------------------------------

def test_no_secret_is_written_in_the_compose_file(compose):
    for key, value in scalars(compose):
        if key and SECRET_NAME.search(key):
            assert REQUIRED.match(value), f"{key} must be ${{NAME:?message}}, not {value!r}"
        for _, password in CREDENTIALS.findall(value):
            assert REQUIRED.match(password), f"{key}: the password in {value!r} must be ${{NAME:?message}}"


def test_credentials_agree_between_servers_and_clients(compose):
    services = compose["services"]
    postgres, rabbitmq = environment(services["postgres"]), environment(services["rabbitmq"])
    for service in SERVICES:
        for definition in processes_of(compose, service).values():
            env = environment(definition)
            url = env[service_variable(service, "DATABASE_URL")]
            assert postgres[service_variable(service, "DB_PASSWORD")] in url
            broker = (rabbitmq["RABBITMQ_DEFAULT_USER"], rabbitmq["RABBITMQ_DEFAULT_PASS"])
            assert CREDENTIALS.match(env["AMQP_URL"]).groups() == broker


def test_env_example_lists_exactly_the_variables_compose_reads(compose, env_example):
    interpolated = {match.group(1) for _, value in scalars(compose) for match in INTERPOLATION.finditer(value)}
    assert interpolated - set(env_example) == set(), "missing from deploy/env.example"
    assert set(env_example) - interpolated == set(), "in deploy/env.example but unused"


def test_env_example_holds_placeholders_only(compose, env_example):
    required = {match.group(1) for _, value in scalars(compose) for match in INTERPOLATION.finditer(value)
                if (match.group(2) or "").startswith(":?")}
    for name in required:
        assert env_example[name].startswith("change-me"), f"{name} must be a change-me placeholder"


@pytest.mark.parametrize("service", SERVICES)
def test_the_placeholder_secrets_are_refused_in_production(env_example, service):
    environ = {**env_example, "APP_ENV": "production", "AMQP_URL": "amqp://rabbitmq//"}
    with pytest.raises(SettingsError):
        load(service, environ)


# --- the image ---------------------------------------------------------------------------------

def dockerfile_instructions() -> list:
    text = (DEPLOY / "Dockerfile").read_text().replace("\\\n", " ")
    lines = [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    return [(line.split(None, 1)[0].upper(), line.split(None, 1)[1] if " " in line else "") for line in lines]


def test_the_dockerfile_installs_shared_and_the_service_for_production():
    instructions = dockerfile_instructions()
    assert instructions[0] == ("FROM", "python:3.11-slim")
    assert ("ARG", "SERVICE") in instructions
    assert any(op == "ENV" and re.search(r"\bPYTHONUNBUFFERED=1\b", args) for op, args in instructions)
    runs = " ; ".join(args for op, args in instructions if op == "RUN")
    assert re.search(r"pip install -r \S*requirements\.txt", runs)
    assert re.search(r"pip install \./shared \./services/\$\{?SERVICE\}?", runs)
    assert not re.search(r"(\s-e\s|--editable|requirements-test)", runs)
    assert "HEALTHCHECK" not in {op for op, _ in instructions}
    users = [args for op, args in instructions if op == "USER"]
    assert users and users[-1] not in ("root", "0")


def test_everything_the_dockerfile_copies_exists_and_is_sent_to_the_build():
    reincluded = [line[1:].strip("/") for line in (DEPLOY / "Dockerfile.dockerignore").read_text().splitlines()
                  if line.startswith("!")]
    copies = [args.split() for op, args in dockerfile_instructions() if op == "COPY"]
    sources = [part for args in copies for part in args[:-1] if not part.startswith("--")]
    assert "deploy/entrypoint.sh" in sources
    for service in SERVICES:
        for source in sources:
            path = re.sub(r"\$\{?SERVICE\}?", service, source)
            assert (ROOT / path).exists(), path
            assert any(path == kept or path.startswith(kept + "/") for kept in reincluded), path
    entrypoint = [args for op, args in dockerfile_instructions() if op == "ENTRYPOINT"]
    assert entrypoint and "entrypoint.sh" in entrypoint[-1]


# --- the entrypoint, run with stand-ins for gunicorn and python --------------------------------

@pytest.fixture
def run_entrypoint(tmp_path):
    for program in ("gunicorn", "python"):
        stand_in = tmp_path / program
        stand_in.write_text(f'#!/bin/sh\nprintf "%s\\n" {program} "$@"\n')
        stand_in.chmod(0o755)

    def run(service, *arguments, **env):
        return subprocess.run(["sh", str(DEPLOY / "entrypoint.sh"), *arguments], capture_output=True, text=True,
                              env={"PATH": f"{tmp_path}:/usr/bin:/bin", "SERVICE": service, **env})
    return run


@pytest.mark.parametrize("service", SERVICES)
def test_the_entrypoint_runs_what_each_compose_process_asks_for(compose, run_entrypoint, service):
    port = str(DEFAULT_PORTS[service])
    expected = {
        "web": ["gunicorn", "-c", "/etc/cpw/gunicorn.conf.py", "--bind", f"0.0.0.0:{port}", "--workers", "2",
                "--access-logfile", "-", f"{service}.app:create_app()"],
        "relay": ["python", "-m", service, "relay"],
        "worker": ["python", "-m", service, "worker"],
        "mailer": ["python", "-m", service, "mailer"],
        "seed-demo": ["python", "-m", service, "seed-demo"],
        "declare-queues": ["python", "-m", service, "declare-queues"],
    }
    for name, definition in processes_of(compose, service).items():
        env = {key: resolve(value) for key, value in environment(definition).items()}
        result = run_entrypoint(service, *command(definition), **env)
        assert result.returncode == 0, result.stderr
        assert result.stdout.splitlines() == expected[command(definition)[0]], name


def test_the_web_entrypoint_names_the_missing_port_variable(run_entrypoint):
    result = run_entrypoint("content", "web")
    assert result.returncode != 0 and "CONTENT_PORT" in result.stderr


def test_the_consumers_queues_are_declared_before_any_relay_publishes(compose):
    for service in ("content", "notifications"):
        assert command(compose["services"][f"{service}-queues"]) == ["declare-queues"]
    waits_for = compose["services"]["registration-relay"]["depends_on"]
    assert {name: waits_for[name]["condition"] for name in ("content-queues", "notifications-queues")} == {
        "content-queues": "service_completed_successfully", "notifications-queues": "service_completed_successfully"}
