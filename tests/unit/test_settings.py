"""Settings: safe defaults for the embedded mode, and a refusal to run production on them."""
import pytest

from shared.settings import SettingsError, load


def test_the_embedded_defaults_need_no_servers():
    settings = load("registration", {})
    assert settings.database_url == "sqlite:///var/registration.db"
    assert settings.embedded_broker and settings.port == 8001 and not settings.smtp_url


SECRETS = {"REGISTRATION_SECRET_KEY": "Vx3-pQ9sLm_2Rt7WkZ4yHn8Jb6Fd1Gc5Ae0Ui",
           "REGISTRATION_DATA_KEY": "hT5_kW2nQ8rZ3mX7vB1cL9pD4sF6gJ0yE-aUo",
           "REGISTRATION_ADMIN_TOKEN": "Lp0Oq2Wm4En6Rb8Tv1Yc3Ux5Iz7Ka9Sd_Fg-Hj"}
PRODUCTION = {"APP_ENV": "production", "AMQP_URL": "amqp://h//",
              "REGISTRATION_DATABASE_URL": "postgresql://u@h/registration", **SECRETS}


@pytest.mark.parametrize("environ, named", [
    ({"APP_ENV": "production", "AMQP_URL": "amqp://h//"}, "REGISTRATION_SECRET_KEY"),
    ({"APP_ENV": "production", "AMQP_URL": "amqp://h//", "REGISTRATION_SECRET_KEY": SECRETS["REGISTRATION_SECRET_KEY"]}, "REGISTRATION_DATA_KEY"),
    ({"APP_ENV": "production", "AMQP_URL": "amqp://h//", **SECRETS,
      "REGISTRATION_ADMIN_TOKEN": ""}, "REGISTRATION_ADMIN_TOKEN"),
    ({"APP_ENV": "production", **SECRETS}, "AMQP_URL"),
    ({"APP_ENV": "staging"}, "APP_ENV"),
    ({"REGISTRATION_PORT": "eighty"}, "REGISTRATION_PORT"),
    ({"REGISTRATION_DATABASE_URL": "mysql://h/db"}, "REGISTRATION_DATABASE_URL"),
    ({"AMQP_URL": "redis://h"}, "AMQP_URL"),
    ({"SMTP_URL": "smtp:///no-host"}, "SMTP_URL"),
    ({"APP_ENV": "production", "AMQP_URL": "amqp://h//", **SECRETS}, "REGISTRATION_DATABASE_URL"),
])
def test_production_refuses_default_secrets_and_bad_values_are_named(environ, named):
    with pytest.raises(SettingsError, match=named):
        load("registration", environ)


def test_production_starts_with_real_secrets():
    settings = load("registration", PRODUCTION)
    assert settings.app_env == "production"


@pytest.mark.parametrize("name", sorted(SECRETS))
def test_production_refuses_a_secret_of_low_variety_naming_it(name):
    with pytest.raises(SettingsError, match=f"{name} is too predictable"):
        load("registration", {**PRODUCTION, name: "a" * 32})
    with pytest.raises(SettingsError, match=f"{name} is too predictable"):
        load("registration", {**PRODUCTION, name: "abab" * 10})


@pytest.mark.parametrize("first, second", [("REGISTRATION_SECRET_KEY", "REGISTRATION_DATA_KEY"),
                                           ("REGISTRATION_DATA_KEY", "REGISTRATION_ADMIN_TOKEN"),
                                           ("REGISTRATION_SECRET_KEY", "REGISTRATION_ADMIN_TOKEN")])
def test_production_refuses_one_value_for_two_secrets_naming_both(first, second):
    with pytest.raises(SettingsError) as refused:
        load("registration", {**PRODUCTION, second: PRODUCTION[first]})
    assert first in str(refused.value) and second in str(refused.value)


def test_development_keeps_its_one_default_secret():
    settings = load("registration", {})
    assert settings.secret_key == settings.data_key == settings.admin_token


@pytest.mark.parametrize("environ, secure", [
    ({}, False),
    ({"REGISTRATION_PUBLIC_URL": "https://register.example.org"}, True),
    ({"CONTENT_PUBLIC_URL": "https://content.example.org"}, False),  # another service's URL
    (PRODUCTION, True),
])
def test_cookies_are_secure_in_production_or_behind_https(environ, secure):
    assert load("registration", environ).secure_cookies is secure


def test_trusted_hosts_default_to_the_public_url_and_loopback():
    assert load("registration", {"REGISTRATION_PUBLIC_URL": "https://register.example.org/"}).trusted_hosts == (
        "register.example.org", "localhost", "127.0.0.1")
    assert load("registration", {"TRUSTED_HOSTS": "a.example.org, B.example.org"}).trusted_hosts == (
        "a.example.org", "b.example.org")


def test_limits_and_proxies_are_read_and_a_malformed_one_is_named():
    settings = load("registration", {"SUBMISSIONS_PER_CLIENT": "5/60", "TRUSTED_PROXIES": "10.0.0.2,172.16.0.0/12"})
    assert (settings.submissions_per_client.count, settings.submissions_per_client.seconds) == (5, 60)
    assert [str(network) for network in settings.trusted_proxies] == ["10.0.0.2/32", "172.16.0.0/12"]
    for name, value in [("SUBMISSIONS_PER_CLIENT", "lots"), ("SUBMISSIONS_PER_ADDRESS", "0/60"),
                        ("SUBMISSIONS_PER_ADDRESS", "5/-1"), ("TRUSTED_PROXIES", "proxy.local")]:
        with pytest.raises(SettingsError, match=name):
            load("registration", {name: value})


def test_a_service_names_what_else_it_needs_in_production_and_is_refused_without_it():
    with pytest.raises(SettingsError, match="SMTP_URL must be set in production: registration needs it"):
        load("registration", PRODUCTION, requires=("SMTP_URL",))
    assert load("registration", {**PRODUCTION, "SMTP_URL": "smtp://mail.example.org:25"}, requires=("SMTP_URL",))
