"""Configuration classes: the only reader of the environment."""
import os
from itertools import pairwise
from pathlib import Path

DEV_SECRET_KEY = "dev-only-secret-key-change-me"
DEV_AUDIT_KEY = "dev-only-audit-key-change-me"
ROOT = Path(__file__).resolve().parent.parent
#: The only values KETNAP_ENV may take, compared exactly: a typo must not start a server without its checks.
ENVIRONMENTS = ("development", "test", "production")
MIN_KEY_LENGTH = 32
MIN_KEY_DISTINCT = 12


class ConfigurationError(RuntimeError):
    """The application refuses to start with this configuration."""


def _default_database_url():
    return f"sqlite:///{ROOT / 'instance' / 'ketnap.sqlite3'}"


def _number(env, name, default, *, minimum=0, kind=float):
    """A numeric setting; a value that is not a number (or is below `minimum`) stops the start, named."""
    raw = env.get(name, str(default))
    try:
        value = kind(raw)
    except ValueError:
        raise ConfigurationError(f"{name} must be a number, not {raw!r}.") from None
    if value < minimum:
        raise ConfigurationError(f"{name} must be at least {minimum}, not {raw!r}.")
    return value


def _flag(value):
    """How Flask reads FLASK_DEBUG: anything but empty, 0, false or no turns it on."""
    return bool(value) and value.strip().lower() not in ("0", "false", "no")


def key_weakness(value):
    """Why a secret key is too weak for production, or None.

    Length alone is not enough: "s" * 40 or "abcd" * 10 or an alphabet run are long and guessable.
    """
    if not value:
        return "missing"
    if value in (DEV_SECRET_KEY, DEV_AUDIT_KEY):
        return "the public development value"
    if len(value) < MIN_KEY_LENGTH:
        return f"shorter than {MIN_KEY_LENGTH} characters"
    if len(set(value)) < MIN_KEY_DISTINCT:
        return f"fewer than {MIN_KEY_DISTINCT} different characters"
    if (value + value).find(value, 1) < len(value):
        return "one short pattern repeated"
    steps = [ord(b) - ord(a) for a, b in pairwise(value)]
    if max(steps.count(step) for step in set(steps)) * 2 > len(steps):
        return "mostly a run of consecutive characters"
    return None


class Config:
    """Read from the environment when the app is created, with safe development defaults."""

    def __init__(self, environ=None):
        env = os.environ if environ is None else environ
        self.ENV_NAME = env.get("KETNAP_ENV", "development")
        self.DEBUG_REQUESTED = _flag(env.get("FLASK_DEBUG", ""))
        self.SECRET_KEY = env.get("SECRET_KEY", DEV_SECRET_KEY)
        self.AUDIT_KEY = env.get("KETNAP_AUDIT_KEY", DEV_AUDIT_KEY)
        self.SQLALCHEMY_DATABASE_URI = env.get("DATABASE_URL", _default_database_url())
        # Parameters (names, CCCD) never appear in a database error or its log line (docs/operations.md).
        self.SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True, "hide_parameters": True}
        self.PROCESSES_DIR = env.get("KETNAP_PROCESSES_DIR", str(ROOT / "processes"))
        self.FORMS_DIR = env.get("KETNAP_FORMS_DIR", str(ROOT / "forms"))
        self.TIMER_POLL_SECONDS = float(env.get("KETNAP_TIMER_POLL_SECONDS", "30"))
        # The worker walks the whole audit chain this often (0: never; `flask audit verify` still does).
        self.AUDIT_WALK_HOURS = float(env.get("KETNAP_AUDIT_WALK_HOURS", "24"))
        self.SESSION_COOKIE_HTTPONLY = True
        self.SESSION_COOKIE_SAMESITE = "Lax"
        self.SESSION_COOKIE_SECURE = env.get("KETNAP_SECURE_COOKIES", "0") == "1"
        self.BABEL_DEFAULT_LOCALE = "vi"
        # Babel names the zone; services/clock.py VIETNAM is its offset (tests/test_vocabulary.py checks they agree).
        self.BABEL_DEFAULT_TIMEZONE = "Asia/Ho_Chi_Minh"
        self.TESTING = False
        # Tests and the demo may lower the cost; production keeps the strong default.
        self.PASSWORD_HASH_METHOD = env.get("KETNAP_PASSWORD_HASH", "scrypt")
        # Sign-in sessions (services/sessions.py): ended after this long unused, and this long after sign-in.
        self.SESSION_IDLE_MINUTES = _number(env, "KETNAP_SESSION_IDLE_MINUTES", 30, minimum=1)
        self.SESSION_MAX_HOURS = _number(env, "KETNAP_SESSION_MAX_HOURS", 12, minimum=0.1)
        # Sign-in throttling (services/signin.py): refused attempts counted over a sliding window.
        self.SIGNIN_WINDOW_MINUTES = _number(env, "KETNAP_SIGNIN_WINDOW_MINUTES", 15, minimum=1)
        self.SIGNIN_ACCOUNT_LIMIT = _number(env, "KETNAP_SIGNIN_ACCOUNT_LIMIT", 5, minimum=1, kind=int)
        self.SIGNIN_DEVICE_LIMIT = _number(env, "KETNAP_SIGNIN_DEVICE_LIMIT", 10, minimum=1, kind=int)
        self.SIGNIN_ADDRESS_LIMIT = _number(env, "KETNAP_SIGNIN_ADDRESS_LIMIT", 20, minimum=1, kind=int)
        # Reverse proxies in front of the app whose X-Forwarded-For/-Proto are believed (0: none, the
        # client address is the connection's). Set it to the exact number of proxies, never more.
        self.TRUSTED_PROXIES = _number(env, "KETNAP_TRUSTED_PROXIES", 0, kind=int)
        # Diagram code runs in sandbox worker processes (webapp/engine/sandbox): seconds per script or
        # expression (then the worker is killed), address space per worker, warm workers, largest
        # multi-instance cardinality. See docs/operations.md, "Limits on diagram code".
        self.SCRIPT_SECONDS = _number(env, "KETNAP_SCRIPT_SECONDS", 0.5, minimum=0.05)
        self.SCRIPT_MEMORY_MB = _number(env, "KETNAP_SCRIPT_MEMORY_MB", 256, minimum=64, kind=int)
        self.SCRIPT_WORKERS = _number(env, "KETNAP_SCRIPT_WORKERS", 4, minimum=1, kind=int)
        self.SCRIPT_MAX_CARDINALITY = _number(env, "KETNAP_SCRIPT_MAX_CARDINALITY", 1000, minimum=1, kind=int)
        # The WSGI server (gunicorn, configured by webapp/serving.py from these): where it listens, how
        # many processes with how many request threads each, and how long a stopping process gives the
        # requests in flight before it exits (SIGTERM). See docs/operations.md, "Serving".
        self.SERVER_BIND = env.get("KETNAP_BIND", "127.0.0.1:5000")
        self.SERVER_WORKERS = _number(env, "KETNAP_WORKERS", 2, minimum=1, kind=int)
        self.SERVER_THREADS = _number(env, "KETNAP_THREADS", 4, minimum=1, kind=int)
        self.SERVER_GRACEFUL_SECONDS = _number(env, "KETNAP_GRACEFUL_SECONDS", 30, minimum=1, kind=int)
        # A PostgreSQL that stops answering must not hold a request thread for minutes: connecting gives
        # up after this long and the page says the database is not reachable (503).
        self.DATABASE_CONNECT_SECONDS = _number(env, "KETNAP_DATABASE_CONNECT_SECONDS", 5, minimum=1, kind=int)
        # Reminders and escalation (services/reminders.py, run by `flask worker`): those who must act
        # are reminded this many working days before a step is due; once it is overdue the holders of
        # these roles in the nearest unit above are told too.
        self.REMINDER_LEAD_WORKING_DAYS = _number(env, "KETNAP_REMINDER_LEAD_WORKING_DAYS", 3, minimum=0, kind=int)
        self.ESCALATION_ROLES = tuple(role.strip() for role in env.get(
            "KETNAP_ESCALATION_ROLES", "org_board,standing_committee").split(",") if role.strip())
        # E-mail copies of notices (services/mail.py): off unless a relay is named, so `make run`
        # needs none. The notices themselves are always kept in the app.
        self.SMTP_HOST = env.get("KETNAP_SMTP_HOST", "")
        self.SMTP_PORT = _number(env, "KETNAP_SMTP_PORT", 25, minimum=1, kind=int)
        self.SMTP_SENDER = env.get("KETNAP_SMTP_FROM", "ketnap@localhost")
        self.SMTP_USERNAME = env.get("KETNAP_SMTP_USERNAME") or None
        self.SMTP_PASSWORD = env.get("KETNAP_SMTP_PASSWORD") or None
        self.SMTP_STARTTLS = _flag(env.get("KETNAP_SMTP_STARTTLS", ""))
        self.PUBLIC_URL = env.get("KETNAP_PUBLIC_URL") or None
        self.DIGEST_HOUR = _number(env, "KETNAP_DIGEST_HOUR", 7, minimum=0, kind=int)
        if self.SQLALCHEMY_DATABASE_URI.startswith("postgresql"):
            self.SQLALCHEMY_ENGINE_OPTIONS["connect_args"] = {"connect_timeout": self.DATABASE_CONNECT_SECONDS}

    def check(self):
        """Refuse an unknown environment name, and in production anything that would fail open."""
        if self.ENV_NAME not in ENVIRONMENTS:
            raise ConfigurationError(
                f"KETNAP_ENV={self.ENV_NAME!r} is not one of {', '.join(ENVIRONMENTS)} (compared exactly).")
        if self.ENV_NAME != "production":
            return
        weak = [f"{name} ({reason})" for name, value in (
            ("SECRET_KEY", self.SECRET_KEY), ("KETNAP_AUDIT_KEY", self.AUDIT_KEY),
        ) if (reason := key_weakness(value))]
        if weak:
            raise ConfigurationError("Production mode needs real secrets: " + ", ".join(weak) + ".")
        if self.SECRET_KEY == self.AUDIT_KEY:
            raise ConfigurationError("Production mode needs SECRET_KEY and KETNAP_AUDIT_KEY to differ.")
        if self.DEBUG_REQUESTED:
            raise ConfigurationError("Production mode refuses FLASK_DEBUG (the debugger runs code for anyone).")
        if not self.SESSION_COOKIE_SECURE:
            raise ConfigurationError("Production mode needs KETNAP_SECURE_COOKIES=1 (cookies only over HTTPS).")
        if self.SQLALCHEMY_DATABASE_URI.startswith("sqlite"):
            raise ConfigurationError("Production mode needs DATABASE_URL pointing at PostgreSQL.")

    def as_dict(self):
        return {key: getattr(self, key) for key in vars(self) if key.isupper()}
