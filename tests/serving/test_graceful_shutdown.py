"""gunicorn as `make run` and production start it (webapp/serving.py): SIGTERM lets the request in
flight finish, then the server stops, and the sandbox workers of its processes stop with it.

The request in flight is a completion whose diagram code burns its whole budget (2 s): it is
posted, SIGTERM is sent while it runs, and the person still gets the step's answer (422, the
code was stopped), not a dropped connection.
"""
import threading
import time
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa

from webapp.demo import CaseDriver
from webapp.extensions import db
from webapp.models import OrgUnit
from webapp.services import files_from_directories, register_and_start
from webapp.services.versions import store_version

from ..conftest import BACKEND, START
from .servers import ROOT, Browser, gunicorn, postgres_database, prepare

ANCHOR = b"# Counters and flags the later gateways read; set once so every path finds them."
BUDGET = 2


def _burning_case(users):
    files = files_from_directories(ROOT / "processes", ROOT / "forms")
    # Stored without validation (which would refuse it): the run-time limit must hold by itself.
    store_version({**files, "admission.bpmn": files["admission.bpmn"].replace(ANCHOR, b"x = sum(range(10**12))")},
                  comment="burns")
    db.session.commit()
    secretary = users[("TQ-LN-THPT", "cell_secretary")]
    cell = db.session.execute(sa.select(OrgUnit.id).where(OrgUnit.code == "TQ-LN-THPT")).scalar_one()
    case = register_and_start(secretary, cell, {
        "full_name": "Nguyễn Văn An", "date_of_birth": date(2007, 3, 15), "sex": "M", "citizen_id": "001207012345",
        "school": "THPT", "class_name": "12A1", "youth_union_member": True}, now=START)
    driver = CaseDriver(START)
    task = driver.run(case.id, until="add_to_sympathiser_list")[0]
    answer = {name: ("y" if value is True else value.isoformat() if isinstance(value, date) else str(value))
              for name, value in driver.answers(task).items() if value not in (None, False)}
    return {"task_id": task.id, "actor": driver.actor_for(task).username, "answer": answer}


def _all_children(pid, expected, seconds=15):
    """The server's children once `expected` of them run: the server answers as soon as its first
    worker is up, and on a loaded machine the second one may still be booting."""
    deadline = time.monotonic() + seconds
    while len(found := _children(pid)) < expected and time.monotonic() < deadline:
        time.sleep(0.1)
    return found


def _children(pid):
    found = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(line.split(":\t", 1) for line in status.read_text().splitlines() if ":\t" in line)
        except OSError:
            continue
        if fields.get("PPid", "").strip() == str(pid):
            found.append(int(status.parent.name))
    return found


def _running(pid):
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.fixture()
def database_url(tmp_path):
    if BACKEND == "postgres":
        return postgres_database("graceful").render_as_string(hide_password=False)
    return f"sqlite:///{tmp_path / 'graceful.sqlite3'}"


def test_sigterm_finishes_the_request_in_flight_then_stops_with_its_sandbox_workers(database_url, tmp_path):
    case = prepare(database_url, _burning_case)
    server = gunicorn(database_url, tmp_path / "gunicorn.log", workers=2, threads=2,
                      KETNAP_SCRIPT_SECONDS=str(BUDGET), KETNAP_GRACEFUL_SECONDS="20")
    try:
        workers = _all_children(server.process.pid, 2)
        assert len(workers) == 2  # KETNAP_WORKERS processes, as configured
        browser = Browser(server.base).sign_in(case["actor"])
        fields = {**browser.hidden_fields(f"/tasks/{case['task_id']}"), **case["answer"]}
        outcome = {}

        def post():
            started = time.monotonic()
            outcome["answer"] = browser.open(f"/tasks/{case['task_id']}", fields, timeout=60)
            outcome["took"] = time.monotonic() - started

        completion = threading.Thread(target=post)
        completion.start()
        time.sleep(0.8)  # the code is burning in a sandbox worker of one of the server's processes
        sandbox = [child for worker in workers for child in _children(worker)]
        assert sandbox, "no sandbox worker is running the code"
        stopping = time.monotonic()
        exit_code = server.stop(timeout=30)
        stopped_after = time.monotonic() - stopping
        completion.join(timeout=30)
    finally:
        if server.process.poll() is None:
            server.process.kill()
    answer = outcome["answer"]
    assert answer.status == 422 and "initialise_case" in answer.body and "chạy quá 2 giây" in answer.body
    assert outcome["took"] >= BUDGET  # it ran to its end after SIGTERM came
    assert exit_code == 0, server.output()
    assert stopped_after < 20, f"stopping took {stopped_after:.1f} s"
    assert "Handling signal: term" in server.output()
    deadline = time.monotonic() + 5
    while any(_running(pid) for pid in sandbox + workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not [pid for pid in sandbox + workers if _running(pid)], "processes left running after the stop"
