"""One app per session on the backend chosen by KETNAP_TEST_DB (sqlite or postgres).

Services commit for real (that is what they are for, and what the concurrency tests need), so
isolation is by emptying every table after each test rather than by an outer transaction.
"""
import itertools
import os
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade

from webapp import create_app
from webapp.config import Config
from webapp.demo import CaseDriver, build_world
from webapp.extensions import db
from webapp.services import deploy, files_from_directories, register_and_start
from webapp.services.schools import school_name

ROOT = Path(__file__).resolve().parent.parent
BACKEND = os.environ.get("KETNAP_TEST_DB", "sqlite")
POSTGRES_URL = os.environ.get("KETNAP_TEST_POSTGRES_URL",
                              "postgresql+psycopg://postgres@127.0.0.1:5432/ketnap_test")
START = datetime(2026, 1, 5, 2, 0, tzinfo=UTC)


def pytest_collection_modifyitems(config, items):
    """`@pytest.mark.postgres` tests run in the PostgreSQL half of `make test` only."""
    if BACKEND == "postgres":
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL: runs with KETNAP_TEST_DB=postgres")
    for item in items:
        if item.get_closest_marker("postgres"):
            item.add_marker(skip)


def _postgres_url():
    """Create the test database if needed; skip (or, under CI, fail) when PostgreSQL is unreachable."""
    url = sa.make_url(POSTGRES_URL)
    try:
        admin = sa.create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            exists = connection.execute(sa.text("SELECT 1 FROM pg_database WHERE datname = :n"),
                                        {"n": url.database}).scalar()
            if not exists:
                connection.execute(sa.text(f'CREATE DATABASE "{url.database}"'))
        admin.dispose()
    except sa.exc.OperationalError as error:
        reason = f"PostgreSQL is not reachable at {url.host}:{url.port} ({error.orig.__class__.__name__})"
        if os.environ.get("CI"):
            pytest.exit(f"CI requires PostgreSQL: {reason}", returncode=1)
        pytest.skip(reason, allow_module_level=True)
    return url.render_as_string(hide_password=False)


def _database_url(tmp_path_factory):
    if BACKEND == "postgres":
        return _postgres_url()
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"


@pytest.fixture(scope="session")
def app(tmp_path_factory):
    config = Config({
        "DATABASE_URL": _database_url(tmp_path_factory),
        "KETNAP_AUDIT_KEY": "test-audit-key-0123456789abcdef0123",
        "SECRET_KEY": "test-secret",
        "KETNAP_PASSWORD_HASH": "pbkdf2:sha256:1000",
    })
    config.TESTING = True
    application = create_app(config)
    with application.app_context():
        db.drop_all()
        with db.engine.begin() as connection:
            connection.execute(sa.text("DROP TABLE IF EXISTS alembic_version"))
        upgrade()  # the schema comes from the migrations, exactly as in production
    return application


def _empty_all_tables():
    db.session.rollback()
    tables = [t.name for t in reversed(db.metadata.sorted_tables)]
    with db.engine.begin() as connection:
        if db.engine.dialect.name == "postgresql":
            connection.execute(sa.text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
        else:
            for table in tables:
                connection.execute(sa.text(f"DELETE FROM {table}"))


@pytest.fixture(autouse=True)
def _app_context(app):
    with app.app_context():
        yield
        _empty_all_tables()
        db.session.remove()


@pytest.fixture()
def version(app):
    version = deploy(files_from_directories(ROOT / "processes", ROOT / "forms"), comment="test")
    db.session.commit()
    return version


@pytest.fixture()
def world(version):
    """The demo tree: four cells covering every shape of organisation, one user per role per unit."""
    tree, users = build_world(START)
    db.session.commit()
    cells = {unit.code: unit for unit in tree["cells"]}
    return type("World", (), {"tree": tree, "users": users, "cells": cells})


@pytest.fixture()
def driver():
    return CaseDriver(START)


@pytest.fixture()
def start_case(world):
    """start_case(cell_code, **student) → a new case in that cell, started by its secretary.

    Each case is a different person unless the test says otherwise: one CCCD, one live record
    (services/people_registry.py), so the default CCCD counts up from 001207012345."""
    numbers = itertools.count(12345)

    def _start(cell_code="TQ-LN-THPT", *, now=START, **student):
        cell = world.cells[cell_code]
        fields = {"full_name": "Nguyễn Văn An", "date_of_birth": datetime(2007, 3, 15).date(), "sex": "M",
                  "citizen_id": f"0012070{next(numbers):05d}", "school": school_name(cell.id), "class_name": "12A1",
                  "youth_union_member": True} | student
        return register_and_start(world.users[(cell_code, "cell_secretary")], cell.id, fields, now=now)
    return _start
