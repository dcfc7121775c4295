"""An SQLite database that can no longer be opened: our 503 page, never a trace or the server's own page.

The app has a database of its own in a folder of its own; the folder is moved away and the
connections dropped, so every new connection fails as on a lost disk ("unable to open database
file"). The PostgreSQL half of the same promise, against a real gunicorn, is
tests/serving/test_database_down.py.
"""
import contextvars
import logging
import re
import socket

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade
from werkzeug.test import Client

from webapp import create_app
from webapp.config import Config
from webapp.demo import DEMO_PASSWORD, build_world
from webapp.errors import LastResort, database_unreachable
from webapp.extensions import db

from ..conftest import START

TITLE = "Không kết nối được cơ sở dữ liệu"
MESSAGE = "Hiện không kết nối được cơ sở dữ liệu. Chưa có gì thay đổi; vui lòng thử lại sau ít phút."
CSRF = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')


def _request(client, method, url, **kwargs):
    return contextvars.Context().run(getattr(client, method), url, **kwargs)


@pytest.fixture()
def lost_disk(tmp_path):
    folder = tmp_path / "data"
    folder.mkdir()
    app = create_app(Config({"DATABASE_URL": f"sqlite:///{folder / 'ketnap.sqlite3'}",
                             "KETNAP_AUDIT_KEY": "lost-disk-audit-key-0123456789abcdef",
                             "SECRET_KEY": "lost-disk-secret", "KETNAP_PASSWORD_HASH": "pbkdf2:sha256:1000"}))
    with app.app_context():
        upgrade()
        build_world(START)
        db.session.commit()
        db.session.remove()
    client = app.test_client()
    page = _request(client, "get", "/login").get_data(as_text=True)
    signed_in = _request(client, "post", "/login", data={"username": "tq-ln-thpt.cell_secretary",
                                                         "password": DEMO_PASSWORD,
                                                         "csrf_token": CSRF.search(page).group(1)})
    assert signed_in.status_code == 302
    assert _request(client, "get", "/inbox").status_code == 200

    def lose():
        folder.rename(tmp_path / "gone")
        with app.app_context():
            db.engine.dispose()

    return app, client, lose


def test_a_database_that_cannot_be_opened_is_our_503_for_a_signed_in_user(lost_disk):
    _app, client, lose = lost_disk
    lose()
    for url in ("/inbox", "/cases", "/tasks/1", "/acting"):
        response = _request(client, "get", url)
        body = response.get_data(as_text=True)
        assert response.status_code == 503, (url, body[:300])
        assert f"<h1 class=\"h3\">{TITLE}</h1>" in body and MESSAGE in body
        assert "/static/vendor/bootstrap.min.css" in body  # our whole page, drawn as for a visitor
        assert response.headers["Retry-After"] == "30" and response.headers["Cache-Control"] == "no-store"
        for marker in ("Traceback", "sqlite3", "OperationalError", "unable to open", "Internal Server Error"):
            assert marker not in body
    health = _request(client, "get", "/healthz")
    assert (health.status_code, health.get_json()) == (503, {"database": "unreachable"})
    assert _request(client, "get", "/livez").status_code == 200


def test_a_hostile_sign_in_while_the_database_is_lost_is_refused_calmly(lost_disk):
    app, _client, lose = lost_disk
    anonymous = app.test_client()
    page = _request(anonymous, "get", "/login").get_data(as_text=True)
    lose()
    token = CSRF.search(page).group(1)
    response = _request(anonymous, "post", "/login", data={
        "username": "admin' OR '1'='1", "password": "x" * 20, "csrf_token": token})
    assert response.status_code == 503 and MESSAGE in response.get_data(as_text=True)
    odd = _request(anonymous, "post", "/login", data={"username": "adm\x00in", "password": "x" * 5000,
                                                     "csrf_token": token})
    assert odd.status_code in (200, 503) and "Traceback" not in odd.get_data(as_text=True)


def test_the_last_resort_answers_with_our_words_when_every_handler_failed(caplog):
    def broken(environ, start_response):
        raise RuntimeError("the error handler itself failed")

    with caplog.at_level(logging.ERROR):
        response = Client(LastResort(broken, logging.getLogger("test"))).get("/inbox")
    body = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Lỗi hệ thống" in body and "Something went wrong" in body and "Internal Server Error" not in body
    assert response.headers["Content-Security-Policy"].startswith("default-src 'self'")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "an error escaped every error handler" in caplog.text


def test_the_last_resort_says_503_when_what_escaped_was_an_outage(tmp_path):
    outage = _error_of(f"sqlite:///{tmp_path / 'missing' / 'x.sqlite3'}")

    def broken(environ, start_response):
        raise outage

    response = Client(LastResort(broken, logging.getLogger("test"))).get("/inbox")
    body = response.get_data(as_text=True)
    assert (response.status_code, response.headers["Retry-After"]) == (503, "30")
    assert TITLE in body and MESSAGE in body and "The database is not reachable" in body
    assert "sqlite" not in body.lower() and "unable to open" not in body


def _error_of(url, statement="SELECT 1"):
    engine = sa.create_engine(url)
    try:
        with engine.connect() as connection:
            connection.exec_driver_sql(statement)
    except sa.exc.DBAPIError as error:
        return error
    finally:
        engine.dispose()
    raise AssertionError("no error")


def test_an_outage_is_told_from_a_mistake_in_a_statement(tmp_path):
    assert database_unreachable(_error_of(f"sqlite:///{tmp_path / 'missing' / 'x.sqlite3'}"))
    # SQLite calls a mistyped statement an OperationalError as well: that is our bug, a 500, not an outage.
    assert not database_unreachable(_error_of("sqlite://", "SELEC 1"))
    assert not database_unreachable(_error_of("sqlite://", "SELECT * FROM no_such_table"))
    assert not database_unreachable(ValueError("not a database error"))


def test_a_postgresql_port_nobody_answers_is_an_outage():
    with socket.socket() as probe:  # a port that was free a moment ago: the connection is refused
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    assert database_unreachable(_error_of(f"postgresql+psycopg://postgres@127.0.0.1:{port}/ketnap"))
