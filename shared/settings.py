"""Settings from the environment, one set per service, validated at start.

Every variable is documented in the README. Defaults run the embedded mode (SQLite under var/,
the in-process broker, mail written to files); production refuses a default secret.
"""
import ipaddress
import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

DEVELOPMENT_SECRET = "development-only-secret-do-not-use-in-production"  # nosec B105: refused in production
DEFAULT_PORTS = {"registration": 8001, "content": 8002, "notifications": 8003}
SECRET_NAMES = ("SECRET_KEY", "DATA_KEY", "ADMIN_TOKEN")
MIN_SECRET_LENGTH, MIN_DISTINCT_CHARACTERS = 32, 10  # secrets.token_urlsafe(32) has about 30 distinct
LOOPBACK_HOSTS = ("localhost", "127.0.0.1")  # health checks on the machine itself


MAX_PAGE_CACHE_SECONDS = 60


class SettingsError(Exception):
    """A variable is missing or wrong; the message names it."""


@dataclass(frozen=True)
class Limit:
    """At most `count` requests in each window of `seconds` (a fixed window)."""
    count: int
    seconds: int


@dataclass(frozen=True)
class Settings:
    service: str
    app_env: str
    database_url: str
    amqp_url: str
    broker_namespace: str
    secret_key: str
    data_key: str
    admin_token: str
    smtp_url: str
    mail_dir: Path
    mail_from: str
    port: int
    public_urls: dict
    trusted_hosts: tuple[str, ...] = ()
    trusted_proxies: tuple = ()  # ipaddress networks whose X-Forwarded-For is believed
    submissions_per_client: Limit = Limit(30, 600)
    submissions_per_address: Limit = Limit(10, 3600)
    broker_heartbeat: int = 10  # seconds; a broker connection whose peer vanished is given up within about twice this
    page_cache_seconds: float = 1.0  # how long a worker serves a public page it rendered (shared/page_cache.py); 0: off
    requires: tuple[str, ...] = ()  # variables this service cannot run without in production, e.g. SMTP_URL

    @property
    def embedded_broker(self) -> bool:
        return self.amqp_url.startswith("memory://")

    @property
    def public_url(self) -> str:
        return self.public_urls.get(self.service, "")

    @property
    def secure_cookies(self) -> bool:
        """Cookies only over https: in production, or wherever the service is served over https."""
        return self.app_env == "production" or self.public_url.startswith("https://")


def service_variable(service: str, name: str) -> str:
    """The name of a per-service variable, e.g. REGISTRATION_DATABASE_URL."""
    return f"{service.upper()}_{name}"


def load(service: str, environ=None, requires: tuple[str, ...] = ()) -> Settings:
    """requires: what the service needs in production besides what every service needs."""
    env = os.environ if environ is None else environ
    var_dir = Path(env.get("VAR_DIR", "var"))

    def own(name, default):
        return env.get(service_variable(service, name)) or default

    public_urls = {name: env.get(service_variable(name, "PUBLIC_URL")) or f"http://127.0.0.1:{port}"
                   for name, port in DEFAULT_PORTS.items()}
    settings = Settings(
        service=service,
        app_env=env.get("APP_ENV", "development"),
        database_url=own("DATABASE_URL", f"sqlite:///{var_dir / (service + '.db')}"),
        amqp_url=env.get("AMQP_URL") or "memory://",
        broker_namespace=env.get("BROKER_NAMESPACE") or "cpw",
        secret_key=own("SECRET_KEY", DEVELOPMENT_SECRET),
        data_key=own("DATA_KEY", DEVELOPMENT_SECRET),
        admin_token=own("ADMIN_TOKEN", DEVELOPMENT_SECRET),
        smtp_url=env.get("SMTP_URL", ""),
        mail_dir=Path(env.get("MAIL_DIR") or var_dir / "mail"),
        mail_from=env.get("MAIL_FROM") or "Co-production Week Scotland <week@coproduction.invalid>",
        port=_port(own("PORT", str(DEFAULT_PORTS.get(service, 8000))), service_variable(service, "PORT")),
        public_urls=public_urls,
        trusted_hosts=_names(env.get("TRUSTED_HOSTS", "")) or _default_hosts(public_urls.get(service, "")),
        trusted_proxies=_networks(env.get("TRUSTED_PROXIES", ""), "TRUSTED_PROXIES"),
        submissions_per_client=_limit(env.get("SUBMISSIONS_PER_CLIENT") or "30/600", "SUBMISSIONS_PER_CLIENT"),
        submissions_per_address=_limit(env.get("SUBMISSIONS_PER_ADDRESS") or "10/3600", "SUBMISSIONS_PER_ADDRESS"),
        broker_heartbeat=_seconds(env.get("BROKER_HEARTBEAT") or "10", "BROKER_HEARTBEAT"),
        page_cache_seconds=_page_cache_seconds(env.get("PAGE_CACHE_SECONDS") or "1"),
        requires=requires,
    )
    check(settings)
    return settings


def _check_url(name: str, value: str, schemes: tuple[str, ...], needs_host: bool = False) -> None:
    parts = urlsplit(value)
    if parts.scheme not in schemes or (needs_host and not parts.hostname):
        raise SettingsError(f"{name} must be a URL starting {' or '.join(s + '://' for s in schemes)}")


def _names(value: str) -> tuple[str, ...]:
    return tuple(name.strip().lower() for name in value.split(",") if name.strip())


def _default_hosts(public_url: str) -> tuple[str, ...]:
    """The public URL's host, and the loopback names the health checks use."""
    own = urlsplit(public_url).hostname
    return tuple(dict.fromkeys([own, *LOOPBACK_HOSTS] if own else LOOPBACK_HOSTS))


def _networks(value: str, name: str) -> tuple:
    try:
        return tuple(ipaddress.ip_network(part, strict=False) for part in _names(value))
    except ValueError:
        raise SettingsError(f"{name} must be IP addresses or networks separated by commas, "
                            f"like 10.0.0.5,192.168.1.0/24, not {value!r}") from None


def _limit(value: str, name: str) -> Limit:
    count, _, seconds = value.partition("/")
    if not (count.strip().isdigit() and seconds.strip().isdigit() and int(count) > 0 and int(seconds) > 0):
        raise SettingsError(f"{name} must be a number of requests per a number of seconds, like 30/600, "
                            f"not {value!r}")
    return Limit(int(count), int(seconds))


def _port(value: str, name: str) -> int:
    if not value.isdigit() or not 0 < int(value) < 65536:
        raise SettingsError(f"{name} must be a port number, not {value!r}")
    return int(value)


def _seconds(value: str, name: str) -> int:
    if not value.isdigit() or not 0 < int(value) <= 300:
        raise SettingsError(f"{name} must be a whole number of seconds from 1 to 300, not {value!r}")
    return int(value)


def _page_cache_seconds(value: str) -> float:
    try:
        seconds = float(value)
    except ValueError:
        seconds = -1.0
    if not 0 <= seconds <= MAX_PAGE_CACHE_SECONDS:
        raise SettingsError(f"PAGE_CACHE_SECONDS must be a number of seconds from 0 to {MAX_PAGE_CACHE_SECONDS}, "
                            f"not {value!r}")
    return seconds


def check(settings: Settings) -> None:
    if settings.app_env not in ("development", "production"):
        raise SettingsError(f"APP_ENV must be 'development' or 'production', not {settings.app_env!r}")
    _check_url(service_variable(settings.service, "DATABASE_URL"), settings.database_url,
               ("sqlite", "postgresql", "postgresql+psycopg"))
    _check_url("AMQP_URL", settings.amqp_url, ("memory", "amqp", "amqps", "pyamqp"))
    if settings.smtp_url:
        _check_url("SMTP_URL", settings.smtp_url, ("smtp", "smtps"), needs_host=True)
    if settings.app_env != "production":
        return
    _check_secrets(settings)
    if settings.embedded_broker:
        raise SettingsError("AMQP_URL must point at RabbitMQ in production")
    if settings.database_url.startswith("sqlite"):
        raise SettingsError(f"{service_variable(settings.service, 'DATABASE_URL')} must point at PostgreSQL "
                            "in production")
    for name in settings.requires:
        if not getattr(settings, name.lower()):
            raise SettingsError(f"{name} must be set in production: {settings.service} needs it")


def _check_secrets(settings: Settings) -> None:
    """Each secret long, varied and its own: the README promises the three are kept apart, so one
    leaked value must not open the others."""
    names = {service_variable(settings.service, name): getattr(settings, name.lower()) for name in SECRET_NAMES}
    for name, value in names.items():
        if value == DEVELOPMENT_SECRET or len(value) < MIN_SECRET_LENGTH:
            raise SettingsError(f"{name} must be set to a secret of at least {MIN_SECRET_LENGTH} characters "
                                "in production")
        if len(set(value)) < MIN_DISTINCT_CHARACTERS:
            raise SettingsError(f"{name} is too predictable: use at least {MIN_DISTINCT_CHARACTERS} different "
                                "characters, e.g. python -c 'import secrets; print(secrets.token_urlsafe(32))'")
    equal = [name for name, value in names.items() if list(names.values()).count(value) > 1]
    if equal:
        raise SettingsError(f"{' and '.join(equal)} must each have a different value in production")


def required_variables(service: str, requires: tuple[str, ...] = ()) -> set[str]:
    """What every process of a service must be given in production (docker-compose, deploy/);
    requires: the variables that service needs besides (notifications: SMTP_URL, MAIL_FROM)."""
    own = {service_variable(service, name) for name in ("DATABASE_URL", "SECRET_KEY", "DATA_KEY", "ADMIN_TOKEN")}
    return own | {"APP_ENV", "AMQP_URL"} | set(requires)
