"""Settings: safe defaults for the embedded mode, and a refusal to run production on them."""
import pytest

from shared.settings import SettingsError, load


def test_the_embedded_defaults_need_no_servers():
    settings = load("registration", {})
    assert settings.database_url == "sqlite:///var/registration.db"
    assert settings.embedded_broker and settings.port == 8001 and not settings.smtp_url


@pytest.mark.parametrize("environ, named", [
    ({"APP_ENV": "production", "AMQP_URL": "amqp://h//"}, "REGISTRATION_SECRET_KEY"),
    ({"APP_ENV": "production", "AMQP_URL": "amqp://h//", "REGISTRATION_SECRET_KEY": "s" * 40}, "REGISTRATION_DATA_KEY"),
    ({"APP_ENV": "production", "AMQP_URL": "amqp://h//", "REGISTRATION_SECRET_KEY": "s" * 40,
      "REGISTRATION_DATA_KEY": "d" * 40}, "REGISTRATION_ADMIN_TOKEN"),
    ({"APP_ENV": "production", "REGISTRATION_SECRET_KEY": "s" * 40, "REGISTRATION_DATA_KEY": "d" * 40,
      "REGISTRATION_ADMIN_TOKEN": "t" * 40}, "AMQP_URL"),
    ({"APP_ENV": "staging"}, "APP_ENV"),
    ({"REGISTRATION_PORT": "eighty"}, "REGISTRATION_PORT"),
    ({"REGISTRATION_DATABASE_URL": "mysql://h/db"}, "REGISTRATION_DATABASE_URL"),
    ({"AMQP_URL": "redis://h"}, "AMQP_URL"),
    ({"SMTP_URL": "smtp:///no-host"}, "SMTP_URL"),
    ({"APP_ENV": "production", "AMQP_URL": "amqp://h//", "REGISTRATION_SECRET_KEY": "s" * 40,
      "REGISTRATION_DATA_KEY": "d" * 40, "REGISTRATION_ADMIN_TOKEN": "t" * 40}, "REGISTRATION_DATABASE_URL"),
])
def test_production_refuses_default_secrets_and_bad_values_are_named(environ, named):
    with pytest.raises(SettingsError, match=named):
        load("registration", environ)


def test_production_starts_with_real_secrets():
    settings = load("registration", {"APP_ENV": "production", "AMQP_URL": "amqp://h//",
                                     "REGISTRATION_DATABASE_URL": "postgresql://u@h/registration",
                                     "REGISTRATION_SECRET_KEY": "s" * 40, "REGISTRATION_DATA_KEY": "d" * 40,
                                     "REGISTRATION_ADMIN_TOKEN": "t" * 40})
    assert settings.app_env == "production"
