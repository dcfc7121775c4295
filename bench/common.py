"""Shared set-up for the benchmarks: a fresh database on SQLite or PostgreSQL, migrated and seeded."""
import os
import statistics
import tempfile
from pathlib import Path

import sqlalchemy as sa
from flask_migrate import upgrade

from webapp import create_app
from webapp.config import Config

ROOT = Path(__file__).resolve().parent.parent
POSTGRES_URL = os.environ.get("KETNAP_BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/ketnap_bench")


def fresh_database_url(backend, database=None):
    """A new empty database; on PostgreSQL `database` names it (default: the one of POSTGRES_URL)."""
    if backend == "sqlite":
        return f"sqlite:///{tempfile.mkdtemp(prefix='ketnap-bench-')}/bench.sqlite3"
    url = sa.make_url(POSTGRES_URL)
    url = url.set(database=database) if database else url
    admin = sa.create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)'))
        connection.execute(sa.text(f'CREATE DATABASE "{url.database}"'))
    admin.dispose()
    return url.render_as_string(hide_password=False)


def bench_config(url):
    return Config({"DATABASE_URL": url, "KETNAP_AUDIT_KEY": "bench-audit-key-" + "x" * 20,
                   "SECRET_KEY": "bench", "KETNAP_PASSWORD_HASH": "pbkdf2:sha256:1000"})


def make_app(backend, *, reuse=False, database=None):
    """An app on a fresh database; with `reuse`, on the PostgreSQL database a previous run left (migrated)."""
    url = POSTGRES_URL if reuse else fresh_database_url(backend, database)
    app = create_app(bench_config(url))
    with app.app_context():
        upgrade()
    return app


def summary(samples_seconds):
    ordered = sorted(samples_seconds)
    p95 = ordered[max(0, round(0.95 * len(ordered)) - 1)]
    return {"n": len(ordered), "median_ms": statistics.median(ordered) * 1000, "p95_ms": p95 * 1000}


def fmt(label, stats):
    return f"{label:<46} n={stats['n']:>5}  median {stats['median_ms']:7.2f} ms  p95 {stats['p95_ms']:7.2f} ms"
