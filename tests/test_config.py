"""Configuration: safe development defaults, and no start that fails open.

Only the exact names development, test and production are accepted; production refuses
development or weak keys, equal keys, debug, cookies sent without HTTPS, and SQLite.
"""
import secrets

import pytest

from webapp import create_app
from webapp.config import DEV_SECRET_KEY, Config, ConfigurationError, key_weakness

SECRET, AUDIT = secrets.token_urlsafe(40), secrets.token_urlsafe(40)
PRODUCTION = {"KETNAP_ENV": "production", "SECRET_KEY": SECRET, "KETNAP_AUDIT_KEY": AUDIT,
              "DATABASE_URL": "postgresql+psycopg://ketnap@db.internal/ketnap", "KETNAP_SECURE_COOKIES": "1"}


def test_development_defaults_need_nothing():
    config = Config({})
    config.check()
    assert config.SQLALCHEMY_DATABASE_URI.startswith("sqlite:///")
    assert config.SESSION_COOKIE_HTTPONLY and config.SESSION_COOKIE_SAMESITE == "Lax"
    assert (config.SESSION_IDLE_MINUTES, config.SESSION_MAX_HOURS) == (30, 12)
    assert (config.SIGNIN_WINDOW_MINUTES, config.SIGNIN_ACCOUNT_LIMIT, config.SIGNIN_DEVICE_LIMIT,
            config.SIGNIN_ADDRESS_LIMIT, config.TRUSTED_PROXIES) == (15, 5, 10, 20, 0)


@pytest.mark.parametrize("name", ["development", "test"])
def test_the_other_known_environments_start_with_development_defaults(name):
    Config({"KETNAP_ENV": name}).check()


@pytest.mark.parametrize("name", ["prod", "Production", "PRODUCTION", " production", "production ", "staging", "",
                                  "production\n", "dev"])
def test_an_unknown_environment_name_is_refused_naming_the_allowed_ones(name):
    with pytest.raises(ConfigurationError, match=r"is not one of development, test, production"):
        create_app(Config({"KETNAP_ENV": name}))


def test_the_issues_forgery_setup_no_longer_starts():
    """KETNAP_ENV=prod used to start with the public development SECRET_KEY."""
    with pytest.raises(ConfigurationError):
        create_app(Config({"KETNAP_ENV": "prod", "DATABASE_URL": PRODUCTION["DATABASE_URL"]}))


@pytest.mark.parametrize("changes, named", [
    ({"SECRET_KEY": None}, r"SECRET_KEY \(the public development value\)"),
    ({"KETNAP_AUDIT_KEY": None}, "KETNAP_AUDIT_KEY"),
    ({"SECRET_KEY": DEV_SECRET_KEY}, r"SECRET_KEY \(the public development value\)"),
    ({"SECRET_KEY": "short"}, r"SECRET_KEY \(shorter than 32"),
    ({"SECRET_KEY": "s" * 40}, r"SECRET_KEY \(fewer than 12 different"),
    ({"KETNAP_AUDIT_KEY": "0123456789abcdef" * 4}, r"KETNAP_AUDIT_KEY \(one short pattern repeated"),
    ({"SECRET_KEY": "abcdefghijklmnopqrstuvwxyzABCDEFGHIJ"}, r"SECRET_KEY \(mostly a run"),
    ({"SECRET_KEY": "zyxwvutsrqponmlkjihgfedcba9876543210"}, r"SECRET_KEY \(mostly a run"),
    ({"KETNAP_AUDIT_KEY": SECRET}, "SECRET_KEY and KETNAP_AUDIT_KEY to differ"),
    ({"FLASK_DEBUG": "1"}, "FLASK_DEBUG"),
    ({"FLASK_DEBUG": "true"}, "FLASK_DEBUG"),
    ({"KETNAP_SECURE_COOKIES": "0"}, "KETNAP_SECURE_COOKIES=1"),
    ({"KETNAP_SECURE_COOKIES": None}, "KETNAP_SECURE_COOKIES=1"),
    ({"DATABASE_URL": None}, "PostgreSQL"),
])
def test_production_refuses_what_would_fail_open(changes, named):
    environ = {**PRODUCTION, **changes}
    environ = {key: value for key, value in environ.items() if value is not None}
    with pytest.raises(ConfigurationError, match=named):
        create_app(Config(environ))


@pytest.mark.parametrize("debug", ["", "0", "false", "no", "False"])
def test_debug_switched_off_is_accepted(debug):
    create_app(Config({**PRODUCTION, "FLASK_DEBUG": debug}))


def test_production_starts_with_real_secrets_secure_cookies_and_postgresql():
    app = create_app(Config(PRODUCTION))
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SECRET_KEY"] == SECRET and app.config["AUDIT_KEY"] == AUDIT


def test_only_an_https_deployment_tells_browsers_to_keep_to_https(tmp_path):
    """Strict-Transport-Security goes with Secure cookies; on plain-HTTP development it would lock
    the browser out of 127.0.0.1."""
    database = {"DATABASE_URL": f"sqlite:///{tmp_path / 'unused.sqlite3'}"}
    development = create_app(Config(database)).test_client().get("/static/ketnap.css")
    assert "Strict-Transport-Security" not in development.headers
    secure = create_app(Config({**database, "KETNAP_SECURE_COOKIES": "1"})).test_client().get("/static/ketnap.css")
    assert secure.headers["Strict-Transport-Security"] == "max-age=31536000"


@pytest.mark.parametrize("key", [secrets.token_hex(32), secrets.token_urlsafe(32), secrets.token_urlsafe(64)])
def test_generated_keys_are_strong_enough(key):
    assert key_weakness(key) is None


@pytest.mark.parametrize("name, value", [("KETNAP_SESSION_IDLE_MINUTES", "thirty"),
                                         ("KETNAP_SESSION_IDLE_MINUTES", "0"),
                                         ("KETNAP_SIGNIN_ADDRESS_LIMIT", "2.5"),
                                         ("KETNAP_TRUSTED_PROXIES", "-1")])
def test_a_setting_that_is_not_a_sensible_number_stops_the_start_named(name, value):
    with pytest.raises(ConfigurationError, match=name):
        Config({name: value})


def test_lifetimes_and_throttling_can_be_changed():
    config = Config({"KETNAP_SESSION_IDLE_MINUTES": "10", "KETNAP_SESSION_MAX_HOURS": "8",
                     "KETNAP_SIGNIN_ADDRESS_LIMIT": "50", "KETNAP_TRUSTED_PROXIES": "1"})
    assert (config.SESSION_IDLE_MINUTES, config.SESSION_MAX_HOURS, config.SIGNIN_ADDRESS_LIMIT,
            config.TRUSTED_PROXIES) == (10, 8, 50, 1)
