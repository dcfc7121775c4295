"""Configuration: safe development defaults, and no production start without real secrets."""
import pytest

from webapp import create_app
from webapp.config import Config, ConfigurationError

STRONG = "s" * 40


def test_development_defaults_need_nothing():
    config = Config({})
    config.check()
    assert config.SQLALCHEMY_DATABASE_URI.startswith("sqlite:///")
    assert config.SESSION_COOKIE_HTTPONLY and config.SESSION_COOKIE_SAMESITE == "Lax"


@pytest.mark.parametrize("environ, missing", [
    ({"KETNAP_ENV": "production"}, "SECRET_KEY"),
    ({"KETNAP_ENV": "production", "SECRET_KEY": STRONG}, "KETNAP_AUDIT_KEY"),
    ({"KETNAP_ENV": "production", "SECRET_KEY": "short", "KETNAP_AUDIT_KEY": STRONG}, "SECRET_KEY"),
    ({"KETNAP_ENV": "production", "SECRET_KEY": STRONG, "KETNAP_AUDIT_KEY": STRONG}, "PostgreSQL"),
])
def test_production_refuses_to_start_without_real_secrets(environ, missing):
    with pytest.raises(ConfigurationError, match=missing):
        create_app(Config(environ))


def test_production_starts_with_real_secrets_and_postgresql():
    app = create_app(Config({"KETNAP_ENV": "production", "SECRET_KEY": STRONG, "KETNAP_AUDIT_KEY": STRONG,
                             "DATABASE_URL": "postgresql+psycopg://ketnap@db.internal/ketnap",
                             "KETNAP_SECURE_COOKIES": "1"}))
    assert app.config["SESSION_COOKIE_SECURE"] is True
