"""The shape a province runs: two stateless app servers and two timer workers against one PostgreSQL.

Everything goes over real HTTP, signed in through the sign-in form with its CSRF token: each step
of several cases is posted to one server or the other (in parallel), one step is posted to both at
the same instant, and meanwhile both workers race for the same due timers. Then the database is
counted: every step completed exactly once, one event per completion, one firing per timer, and
the audit chain (written by four processes) verifies.
"""
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa

from webapp.demo import CaseDriver
from webapp.demo.answers import answers_for
from webapp.extensions import db
from webapp.models import OrgUnit
from webapp.services import register_and_start
from webapp.services.register_choices import CHOICES

from ..conftest import START
from .servers import ROOT, Browser, environment, gunicorn, postgres_database, prepare, timer_worker

pytestmark = pytest.mark.postgres

DRIVEN_CASES, STEPS_PER_CASE, WAITING_CASES = 6, 3, 2


def _cases(users):
    """Cases just started (to drive over HTTP) and cases of students under 18, waiting for the timer.

    The waiting students turn 18 in June 2026: by the servers' real clock their timer is due now.
    """
    secretary = users[("TQ-LN-THPT", "cell_secretary")]
    cell = db.session.execute(sa.select(OrgUnit.id).where(OrgUnit.code == "TQ-LN-THPT")).scalar_one()

    def start(number, born):
        return register_and_start(secretary, cell, {
            "full_name": f"Học Sinh {number}", "date_of_birth": born, "sex": "F", "citizen_id": f"0012070{number:05d}",
            "school": "THPT", "class_name": "12A1", "youth_union_member": True}, now=START).id

    driven = [start(number, date(2007, 3, 15)) for number in range(DRIVEN_CASES)]
    waiting = [start(100 + number, date(2008, 6, 15)) for number in range(WAITING_CASES)]
    driver = CaseDriver(START)
    for case_id in waiting:
        assert driver.run(case_id, until="timer") == []
    return driven, waiting


def _open_task(connection, case_id):
    row = connection.execute(sa.text(
        "SELECT t.id, t.form_name, u.username FROM human_task t JOIN role_assignment r"
        " ON r.role = t.role AND r.unit_id = t.unit_id JOIN app_user u ON u.id = r.user_id"
        " WHERE t.instance_id = :case AND t.status = 'open' ORDER BY t.id, u.id LIMIT 1"), {"case": case_id}).first()
    return row


def _form_fields(engine, task):
    today = (datetime.now(UTC) + timedelta(hours=7)).date()
    answers = {**answers_for(task.form_name, today), **_register_choice(engine, task)}
    return {name: ("y" if value is True else value.isoformat() if isinstance(value, date) else str(value))
            for name, value in answers.items() if value not in (None, False)}


def _register_choice(engine, task):
    """A member the form chooses from the cell's register (its first official member with an account),
    read with SQL: this process is not bound to the servers' database."""
    if task.form_name not in CHOICES:
        return {}
    assert len(CHOICES[task.form_name]) == 1, "a form choosing several members needs the months rule too"
    with engine.connect() as connection:
        member = connection.execute(sa.text(
            "SELECT m.id FROM party_member m JOIN body_membership b ON b.member_id = m.id"
            " JOIN human_task t ON t.unit_id = b.unit_id WHERE t.id = :task AND b.body = 'cell'"
            " AND b.left_on IS NULL AND m.official_on IS NOT NULL AND m.user_id IS NOT NULL ORDER BY m.id LIMIT 1"),
            {"task": task.id}).scalar_one()
    return {CHOICES[task.form_name][0].field: member}


def _drive(engine, browsers, case_id, server_index, posted):
    """STEPS_PER_CASE steps of one case, each through the next server in turn; what each post answered."""
    for step in range(STEPS_PER_CASE):
        with engine.connect() as connection:
            task = _open_task(connection, case_id)
        assert task is not None, f"case {case_id} has no open step after {step} steps"
        server = (server_index + step) % len(browsers)
        browser = browsers[server](task.username)
        answer = browser.submit(f"/tasks/{task.id}", _form_fields(engine, task))
        posted.append((task.id, server, answer.status, answer.headers.get("Location", "")))
        assert (answer.status, answer.headers.get("Location")) == (302, "/inbox"), (task, answer.message())


@pytest.fixture()
def province(tmp_path):
    url = postgres_database("two").render_as_string(hide_password=False)
    cases = prepare(url, _cases)
    servers = [gunicorn(url, tmp_path / f"server{n}.log", workers=1, threads=4) for n in range(2)]
    workers = [timer_worker(url, tmp_path / f"worker{n}.log", poll_seconds=0.3) for n in range(2)]
    yield url, cases, servers, workers
    for process in servers + workers:
        if process.process.poll() is None:
            process.stop()


def test_two_servers_and_two_workers_lose_nothing_and_double_nothing(province):
    url, (driven, waiting), servers, workers = province
    started = time.monotonic()
    engine = sa.create_engine(url)
    sessions, lock = {}, threading.Lock()

    def signed_in(server):
        def browser(username):  # one signed-in browser per person and server, as people open tabs
            with lock:
                key = (server, username)
                if key not in sessions:
                    sessions[key] = Browser(servers[server].base).sign_in(username)
                return sessions[key]
        return browser

    browsers = [signed_in(0), signed_in(1)]
    posted = []
    with ThreadPoolExecutor(max_workers=4) as pool:
        for future in [pool.submit(_drive, engine, browsers, case_id, index % 2, posted)
                       for index, case_id in enumerate(driven)]:
            future.result()

    # The same step posted to both servers at the same instant: recorded once, the other told it is done.
    with engine.connect() as connection:
        task = _open_task(connection, driven[0])
    first, second = (Browser(server.base).sign_in(task.username) for server in servers)
    fields = [{**browser.hidden_fields(f"/tasks/{task.id}"), **_form_fields(engine, task)}
              for browser in (first, second)]
    barrier = threading.Barrier(2)

    def race(browser, form):
        barrier.wait()
        return browser.open(f"/tasks/{task.id}", form)

    with ThreadPoolExecutor(max_workers=2) as pool:
        answers = list(pool.map(race, (first, second), fields))
    places = sorted(answer.headers.get("Location", "") for answer in answers)
    assert [answer.status for answer in answers] == [302, 302], [a.body[:300] for a in answers]
    assert places == [f"/cases/{driven[0]}", "/inbox"]  # one recorded it, the other was shown the case

    # Both workers poll the same due timers; wait until every waiting case has moved on.
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        with engine.connect() as connection:
            waiting_now = connection.execute(sa.text(
                "SELECT count(*) FROM process_instance WHERE id = ANY(:ids) AND next_timer_at IS NOT NULL"
                " AND next_timer_at <= now()"), {"ids": waiting}).scalar()
        if not waiting_now:
            break
        time.sleep(0.3)
    time.sleep(1.0)  # a doubled firing would come from the other worker's next poll: give it one

    with engine.connect() as connection:
        completions = connection.execute(sa.text(
            "SELECT (payload->>'human_task_id')::int AS task, count(*) FROM instance_event"
            " WHERE kind = 'task_completed' GROUP BY 1")).all()
        completed_rows = connection.execute(sa.text(
            "SELECT count(*) FROM human_task WHERE status = 'completed' AND instance_id = ANY(:ids)"),
            {"ids": driven}).scalar()
        firings = dict(connection.execute(sa.text(
            "SELECT instance_id, count(*) FROM instance_event WHERE kind = 'timer_fired' AND instance_id = ANY(:ids)"
            " GROUP BY 1"), {"ids": waiting}).all())
        opened_after_timer = dict(connection.execute(sa.text(
            "SELECT instance_id, count(*) FROM human_task WHERE status = 'open' AND instance_id = ANY(:ids)"
            " GROUP BY 1"), {"ids": waiting}).all())
        open_per_driven = dict(connection.execute(sa.text(
            "SELECT instance_id, count(*) FROM human_task WHERE status = 'open' AND instance_id = ANY(:ids)"
            " GROUP BY 1"), {"ids": driven}).all())
    engine.dispose()

    expected = DRIVEN_CASES * STEPS_PER_CASE + 1
    assert len(posted) == expected - 1 and {server for _, server, _, _ in posted} == {0, 1}
    per_task = dict(completions)
    driven_tasks = [task_id for task_id, *_ in posted] + [task.id]
    assert all(per_task.get(task_id) == 1 for task_id in driven_tasks), per_task  # each recorded once, none lost
    assert completed_rows == expected
    assert open_per_driven == dict.fromkeys(driven, 1)  # every case moved on to exactly one next step
    assert firings == dict.fromkeys(waiting, 1), firings  # one firing per timer, by whichever worker won
    assert opened_after_timer == dict.fromkeys(waiting, 1)

    verify = subprocess.run([sys.executable, "-m", "flask", "audit", "verify"], cwd=ROOT, capture_output=True,
                            env={**environment(url), "FLASK_APP": "webapp:create_app", "PATH": "/usr/bin:/bin"},
                            timeout=60, check=False)
    assert verify.returncode == 0, verify.stdout.decode() + verify.stderr.decode()
    for process in servers + workers:
        assert process.process.poll() is None, process.output()  # nobody crashed on the way
    assert time.monotonic() - started < 60
