"""Real servers for the tests, found in this order: a URL in the environment, the local default
service if it answers, a testcontainers container if a Docker engine answers; otherwise the test
is skipped with the reason, and with CI=true that skip is a failure."""
import os
import socket
import uuid
from urllib.parse import urlsplit

import pytest
from kombu import Connection
from sqlalchemy import create_engine, text

CI = os.environ.get("CI") == "true"
LOCAL_POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
LOCAL_RABBITMQ = "amqp://guest:guest@127.0.0.1:5672//"
CONSUMER_TEST_DELAYS = (0.05, 0.1)  # short back-off steps, so that a poison message dies quickly
BROKER_TEST_SERVICES = ("content", "notifications")  # whose queues a test may declare


def unavailable(reason: str):
    if CI:
        pytest.fail(f"CI needs this real server, and none was found: {reason}")
    pytest.skip(reason)


def answers(url: str) -> bool:
    parts = urlsplit(url)
    try:
        with socket.create_connection((parts.hostname, parts.port), timeout=1):
            return True
    except OSError:
        return False


def docker_engine_answers() -> bool:
    try:
        import docker
        docker.from_env(timeout=3).ping()
        return True
    except Exception:
        return False


@pytest.fixture(scope="session")
def postgres_server():
    """A URL for the server's maintenance database, from which test databases are made."""
    url = os.environ.get("TEST_POSTGRES_URL") or (LOCAL_POSTGRES if answers(LOCAL_POSTGRES) else None)
    if url:
        yield url
        return
    if not docker_engine_answers():
        unavailable("no PostgreSQL: TEST_POSTGRES_URL unset, nothing on 127.0.0.1:5432, no Docker engine")
    from testcontainers.postgres import PostgresContainer
    with PostgresContainer("postgres:16-alpine", driver="psycopg") as container:
        yield container.get_connection_url()


@pytest.fixture
def new_postgres_database(postgres_server):
    """Makes fresh, empty databases for one test (a URL each), dropped afterwards."""
    admin = create_engine(postgres_server, isolation_level="AUTOCOMMIT")
    names = []

    def create() -> str:
        names.append(f"test_{uuid.uuid4().hex[:12]}")
        with admin.connect() as db:
            db.execute(text(f'CREATE DATABASE "{names[-1]}"'))
        return postgres_server.rsplit("/", 1)[0] + f"/{names[-1]}"

    yield create
    with admin.connect() as db:
        for name in names:
            db.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture
def postgres_url(new_postgres_database):
    return new_postgres_database()


@pytest.fixture(scope="session")
def rabbitmq_url():
    url = os.environ.get("TEST_AMQP_URL") or (LOCAL_RABBITMQ if answers("amqp://127.0.0.1:5672") else None)
    if url:
        yield url
        return
    if not docker_engine_answers():
        unavailable("no RabbitMQ: TEST_AMQP_URL unset, nothing on 127.0.0.1:5672, no Docker engine")
    from testcontainers.rabbitmq import RabbitMqContainer
    with RabbitMqContainer("rabbitmq:3.13-management-alpine") as container:
        host, port = container.get_container_host_ip(), container.get_exposed_port(5672)
        yield f"amqp://guest:guest@{host}:{port}//"


@pytest.fixture
def broker_namespace(rabbitmq_url):
    """Exchange and queue names of this test's own, deleted afterwards."""
    from shared.topology import RETRY_DELAYS, Topology
    namespace = f"test-{uuid.uuid4().hex[:10]}"
    yield namespace
    with Connection(rabbitmq_url) as connection:
        for delays in (RETRY_DELAYS, CONSUMER_TEST_DELAYS):
            Topology(namespace, retry_delays=delays).remove(connection, services=BROKER_TEST_SERVICES)


@pytest.fixture(params=["sqlite", "postgres"])
def database_url(request, tmp_path):
    """The same contract, run on each backend."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'service.db'}"
    return request.getfixturevalue("postgres_url")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_server():
    """A real SMTP server (aiosmtpd) on loopback that keeps what it receives."""
    from tests.support.smtp import RecordingSmtpServer
    server = RecordingSmtpServer(free_port())
    server.start()
    yield server
    server.stop()
