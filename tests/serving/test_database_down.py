"""A real gunicorn whose PostgreSQL stops answering mid-run: every page is our 503, never the server's own.

The database is reached through a TCP proxy the test cuts (the listener closed, every connection
reset), as when the database server goes down or the network between them does. Then the proxy
is opened again: the same browser carries on and nothing was recorded meanwhile.
"""
import json
from datetime import date

import pytest
import sqlalchemy as sa

from webapp.demo import CaseDriver
from webapp.extensions import db
from webapp.models import HumanTask, InstanceEvent, OrgUnit
from webapp.services import register_and_start

from ..conftest import START
from .servers import Browser, CuttableProxy, gunicorn, postgres_database, prepare

pytestmark = pytest.mark.postgres

TITLE = "Không kết nối được cơ sở dữ liệu"
MESSAGE = "Hiện không kết nối được cơ sở dữ liệu. Chưa có gì thay đổi; vui lòng thử lại sau ít phút."
ENGLISH = "The database is not reachable right now. Nothing was changed; please try again in a few minutes."
BARE = ("Internal Server Error", "Traceback", "sqlalchemy", "psycopg", "gunicorn")


def _case_at_sympathiser_list(users):
    secretary = users[("TQ-LN-THPT", "cell_secretary")]
    cell = db.session.execute(sa.select(OrgUnit.id).where(OrgUnit.code == "TQ-LN-THPT")).scalar_one()
    case = register_and_start(secretary, cell, {
        "full_name": "Nguyễn Văn An", "date_of_birth": date(2007, 3, 15), "sex": "M", "citizen_id": "001207012345",
        "school": "THPT", "class_name": "12A1", "youth_union_member": True}, now=START)
    driver = CaseDriver(START)
    task = driver.run(case.id, until="add_to_sympathiser_list")[0]
    return {"task_id": task.id, "case_id": case.id, "actor": driver.actor_for(task).username}


def _recorded(url):
    engine = sa.create_engine(url)
    with engine.connect() as connection:
        events = connection.execute(sa.select(sa.func.count()).select_from(InstanceEvent)).scalar()
        step = connection.execute(sa.select(HumanTask.status)
                                  .where(HumanTask.spec_name == "add_to_sympathiser_list")).scalar()
    engine.dispose()
    return events, step


def assert_ours(answer, *, english=False):
    assert answer.status == 503, (answer.status, answer.body[:400])
    assert answer.h1() == ("The database is not reachable" if english else TITLE)
    assert answer.message() == (ENGLISH if english else MESSAGE)
    assert "Content-Security-Policy" in answer.headers and answer.headers["Cache-Control"] == "no-store"
    for marker in BARE:
        assert marker not in answer.body, f"{marker!r} on the page"


@pytest.fixture()
def cut_server(tmp_path):
    real = postgres_database("down")
    proxy = CuttableProxy(real.port or 5432)
    through_proxy = real.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
    case = prepare(through_proxy, _case_at_sympathiser_list)
    server = gunicorn(through_proxy, tmp_path / "gunicorn.log", workers=1, threads=4)
    yield server, proxy, case, real.render_as_string(hide_password=False)
    proxy.cut()
    server.stop()


def test_every_page_says_the_database_is_not_reachable_and_nothing_changes(cut_server):
    server, proxy, case, real_url = cut_server
    secretary = Browser(server.base).sign_in(case["actor"])
    english = Browser(server.base).sign_in("tq-ln-thpt.youth_union")
    assert english.open("/lang/en").status == 302
    assert secretary.open("/inbox").status == 200
    form = secretary.hidden_fields(f"/tasks/{case['task_id']}")  # the form as drawn before the outage
    anonymous = Browser(server.base)
    assert anonymous.open("/healthz").status == 200
    before = _recorded(real_url)

    proxy.cut()

    # The session check (user loader) in the before-request hook needs the database: our page, not gunicorn's.
    assert_ours(secretary.open("/inbox"))
    assert_ours(secretary.open(f"/cases/{case['case_id']}"))
    assert_ours(english.open("/inbox"), english=True)
    posted = secretary.open(f"/tasks/{case['task_id']}", {
        **form, "sympathiser_resolution_number": "05-NQ/CB", "sympathiser_resolution_date": "2026-01-10",
        "helper_member": "1"})
    assert_ours(posted)
    # Signing in needs the database too; a hostile user name changes nothing.
    signing_in = anonymous.open("/login", {"csrf_token": "x", "username": "'; DROP TABLE app_user; --",
                                           "password": "x"})
    assert signing_in.status in (400, 503) and "Internal Server Error" not in signing_in.body
    as_json = secretary.open("/inbox", headers={"Accept": "application/json"})
    assert (as_json.status, json.loads(as_json.body)) == (503, {"error": TITLE, "message": MESSAGE})
    health = anonymous.open("/healthz")
    assert (health.status, health.body.strip()) == (503, '{"database":"unreachable"}')
    assert anonymous.open("/livez").status == 200  # the process is alive: no reason to restart it

    proxy.open()

    assert _recorded(real_url) == before  # nothing recorded, the step still open
    assert before[1] == "open"
    assert secretary.open("/inbox").status == 200  # the same session carries on
    assert anonymous.open("/healthz").status == 200
    assert "the database is not reachable: OperationalError" in server.output()  # the operator's log says why
