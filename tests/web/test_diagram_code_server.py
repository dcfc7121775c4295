"""A real server process: while one completion's code burns its whole budget, /healthz still answers.

The server is `flask run` (werkzeug, threaded) in a subprocess on a free port, against a SQLite
database of its own prepared here; the burning completion is posted through the real sign-in and
task pages. Not the test client: the point is the GIL and the process.
"""
import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from datetime import date
from pathlib import Path

import pytest
from flask_migrate import upgrade

from webapp import create_app
from webapp.config import Config
from webapp.demo import DEMO_PASSWORD, CaseDriver, build_world
from webapp.extensions import db
from webapp.models import OrgUnit
from webapp.services import deploy, files_from_directories, register_and_start
from webapp.services.versions import store_version

from ..conftest import START

ROOT = Path(__file__).resolve().parents[2]
BUDGET = 2.0
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
ANCHOR = b"# Counters and flags the later gateways read; set once so every path finds them."


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _environment(database_url):
    return {"DATABASE_URL": database_url, "KETNAP_AUDIT_KEY": "server-test-audit-key-0123456789abc",
            "SECRET_KEY": "server-test-secret", "KETNAP_PASSWORD_HASH": "pbkdf2:sha256:1000",
            "KETNAP_SCRIPT_SECONDS": str(BUDGET), "KETNAP_SCRIPT_WORKERS": "2"}


def _prepare(database_url):
    """A database with a case waiting at the step whose completion runs the burning script."""
    app = create_app(Config(_environment(database_url)))
    with app.app_context():
        upgrade()
        files = files_from_directories(ROOT / "processes", ROOT / "forms")
        deploy(files, comment="good")
        _, users = build_world(START)
        # Stored without validation (which would refuse it): the run-time limit must hold by itself.
        store_version({**files, "admission.bpmn": files["admission.bpmn"].replace(
            ANCHOR, b"x = sum(range(10**12))")}, comment="burns")
        db.session.commit()
        secretary = users[("TQ-LN-THPT", "cell_secretary")]
        cell = db.session.execute(db.select(OrgUnit.id).where(OrgUnit.code == "TQ-LN-THPT")).scalar_one()
        driver = CaseDriver(START)
        case = register_and_start(secretary, cell, {
            "full_name": "Nguyễn Văn An", "date_of_birth": date(2007, 3, 15), "sex": "M",
            "citizen_id": "001207012345", "school": "THPT", "class_name": "12A1", "youth_union_member": True},
            now=START)
        task = driver.run(case.id, until="add_to_sympathiser_list")[0]
        answer = {name: _form_value(value) for name, value in driver.answers(task).items()
                  if value not in (None, False)}
        actor = driver.actor_for(task).username
        task_id = task.id
        db.session.remove()
        db.engine.dispose()
    return actor, task_id, answer


def _form_value(value):
    if value is True:
        return "y"
    return value.isoformat() if isinstance(value, date) else str(value)


@pytest.fixture()
def server(tmp_path):
    database_url = f"sqlite:///{tmp_path / 'server.sqlite3'}"
    actor, task_id, answer = _prepare(database_url)
    port = _free_port()
    env = {**os.environ, **_environment(database_url), "FLASK_APP": "webapp:create_app"}
    process = subprocess.Popen([sys.executable, "-m", "flask", "run", "--port", str(port), "--no-reload",
                                "--no-debugger", "--with-threads"], cwd=ROOT, env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(base + "/healthz", timeout=2).read()
            break
        except (urllib.error.URLError, ConnectionError):
            if time.monotonic() > deadline or process.poll() is not None:
                process.kill()
                pytest.fail("the server did not start")
            time.sleep(0.2)
    yield base, actor, task_id, answer
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()


def _browser():
    return urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))


def _post(opener, url, fields):
    page = opener.open(url, timeout=30).read().decode()
    fields = {"csrf_token": CSRF.search(page).group(1), **fields}
    try:
        response = opener.open(url, urllib.parse.urlencode(fields).encode(), timeout=60)
        return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def test_healthz_answers_while_a_completion_burns_its_budget(server):
    base, actor, task_id, answer = server
    browser = _browser()
    status, _ = _post(browser, base + "/login", {"username": actor, "password": DEMO_PASSWORD})
    assert status == 200
    health = _browser()
    health.open(base + "/healthz", timeout=5).read()  # the health path warm (its first query, its imports)
    outcome = {}

    def complete():
        started = time.monotonic()
        outcome["status"], outcome["page"] = _post(browser, f"{base}/tasks/{task_id}", answer)
        outcome["took"] = time.monotonic() - started

    completion = threading.Thread(target=complete)
    completion.start()
    time.sleep(0.3)  # the task page is drawn and the form posted: the script is running now
    latencies = []
    while completion.is_alive() and len(latencies) < 200:
        started = time.monotonic()
        assert health.open(base + "/healthz", timeout=5).status == 200
        latencies.append(time.monotonic() - started)
        time.sleep(0.05)
    completion.join(timeout=60)
    assert outcome["status"] == 422
    assert "initialise_case" in outcome["page"] and "chạy quá 2 giây" in outcome["page"]
    assert outcome["took"] >= BUDGET  # it really burned its whole budget meanwhile
    assert len(latencies) >= 5
    assert max(latencies) < 0.1, f"/healthz took up to {max(latencies) * 1000:.0f} ms ({len(latencies)} probes)"
