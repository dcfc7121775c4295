"""Configuration classes: the only reader of the environment."""
import os
from pathlib import Path

DEV_SECRET_KEY = "dev-only-secret-key-change-me"
DEV_AUDIT_KEY = "dev-only-audit-key-change-me"
ROOT = Path(__file__).resolve().parent.parent


class ConfigurationError(RuntimeError):
    """The application refuses to start with this configuration."""


def _default_database_url():
    return f"sqlite:///{ROOT / 'instance' / 'ketnap.sqlite3'}"


class Config:
    """Read from the environment when the app is created, with safe development defaults."""

    def __init__(self, environ=None):
        env = os.environ if environ is None else environ
        self.ENV_NAME = env.get("KETNAP_ENV", "development")
        self.SECRET_KEY = env.get("SECRET_KEY", DEV_SECRET_KEY)
        self.AUDIT_KEY = env.get("KETNAP_AUDIT_KEY", DEV_AUDIT_KEY)
        self.SQLALCHEMY_DATABASE_URI = env.get("DATABASE_URL", _default_database_url())
        self.SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
        self.PROCESSES_DIR = env.get("KETNAP_PROCESSES_DIR", str(ROOT / "processes"))
        self.FORMS_DIR = env.get("KETNAP_FORMS_DIR", str(ROOT / "forms"))
        self.TIMER_POLL_SECONDS = float(env.get("KETNAP_TIMER_POLL_SECONDS", "30"))
        # The worker walks the whole audit chain this often (0: never; `flask audit verify` still does).
        self.AUDIT_WALK_HOURS = float(env.get("KETNAP_AUDIT_WALK_HOURS", "24"))
        self.SESSION_COOKIE_HTTPONLY = True
        self.SESSION_COOKIE_SAMESITE = "Lax"
        self.SESSION_COOKIE_SECURE = env.get("KETNAP_SECURE_COOKIES", "0") == "1"
        self.BABEL_DEFAULT_LOCALE = "vi"
        self.BABEL_DEFAULT_TIMEZONE = "Asia/Ho_Chi_Minh"
        self.TESTING = False
        # Tests and the demo may lower the cost; production keeps the strong default.
        self.PASSWORD_HASH_METHOD = env.get("KETNAP_PASSWORD_HASH", "scrypt")

    def check(self):
        """Refuse to run in production with development secrets."""
        if self.ENV_NAME != "production":
            return
        weak = [name for name, value, dev in (
            ("SECRET_KEY", self.SECRET_KEY, DEV_SECRET_KEY),
            ("KETNAP_AUDIT_KEY", self.AUDIT_KEY, DEV_AUDIT_KEY),
        ) if not value or value == dev or len(value) < 32]
        if weak:
            raise ConfigurationError(
                "Production mode needs real secrets of at least 32 characters: " + ", ".join(weak))
        if self.SQLALCHEMY_DATABASE_URI.startswith("sqlite"):
            raise ConfigurationError("Production mode needs DATABASE_URL pointing at PostgreSQL.")

    def as_dict(self):
        return {key: getattr(self, key) for key in vars(self) if key.isupper()}
