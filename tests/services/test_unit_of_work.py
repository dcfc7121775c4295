"""The unit of work holds under double submits, crashes, hostile diagrams and restarts."""
import threading
from datetime import date, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import current_app

from webapp import create_app
from webapp.config import Config
from webapp.extensions import db
from webapp.models import InstanceEvent, User
from webapp.services import (
    Completion,
    Forbidden,
    NotFound,
    StepFailed,
    TaskAlreadyCompleted,
    complete_task,
    files_from_directories,
    run_due_timers,
)
from webapp.services.versions import store_version

from .helpers import events, facts, instance, open_specs, task_named

ROOT = Path(__file__).resolve().parents[2]
needs_postgres = pytest.mark.skipif(
    "os.environ.get('KETNAP_TEST_DB', 'sqlite') != 'postgres'",
    reason="row locks between threads are a PostgreSQL matter; SQLite serialises writers itself")


def _in_threads(app, count, work):
    """Run work(index) in `count` threads at once, each with its own app context and session."""
    barrier = threading.Barrier(count)
    results = [None] * count

    def runner(index):
        with app.app_context():
            barrier.wait()
            try:
                results[index] = work(index)
            except Exception as error:  # collected and asserted on by the caller
                results[index] = error
            finally:
                db.session.remove()

    threads = [threading.Thread(target=runner, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


@needs_postgres
def test_two_simultaneous_completions_one_wins_the_other_is_told(start_case, driver):
    case_id = start_case().id
    task = driver.run(case_id, until="record_course_result")[0]
    actor, answers = driver.actor_for(task), driver.answers(task)
    task_id, actor_id, app = task.id, actor.id, current_app._get_current_object()
    db.session.remove()

    results = _in_threads(app, 2, lambda i: complete_task(db.session.get(User, actor_id), task_id, answers,
                                                          now=driver.now + timedelta(hours=1)))

    winners = [r for r in results if isinstance(r, Completion)]
    losers = [r for r in results if isinstance(r, TaskAlreadyCompleted)]
    assert (len(winners), len(losers)) == (1, 1), results
    assert [e.task_spec for e in events(case_id, "task_completed")].count("record_course_result") == 1
    assert facts(case_id)["course_attempts"] == 1  # the script after the task ran once
    assert open_specs(case_id) == ["write_application"]


@needs_postgres
def test_two_timer_workers_never_fire_the_same_timer_twice(start_case, driver):
    cases = [start_case(citizen_id=f"00120701234{i}", date_of_birth=date(2008, 10, 1)).id for i in range(4)]
    for case_id in cases:
        driver.run(case_id, until="timer")
    due = max(instance(case_id).next_timer_at for case_id in cases) + timedelta(minutes=1)
    app = current_app._get_current_object()
    db.session.remove()

    results = _in_threads(app, 2, lambda i: run_due_timers(now=due))

    assert not [r for r in results if isinstance(r, Exception)], results
    fired = [case_id for r in results for case_id in r]
    assert sorted(fired) == sorted(cases)
    for case_id in cases:
        assert len(events(case_id, "timer_fired")) == 1
        assert open_specs(case_id) == ["plan_cell_meeting"]


def test_a_crash_before_commit_leaves_the_task_open_and_nothing_written(start_case, driver):
    case = start_case()
    task = driver.run(case.id, until="write_application")[0]
    before = (instance(case.id).serialized, instance(case.id).lock_version, len(events(case.id)))

    def crash(session):
        raise RuntimeError("power cut between the engine step and the commit")

    sa.event.listen(db.session, "before_commit", crash)
    try:
        with pytest.raises(RuntimeError, match="power cut"):
            driver.complete(task)
    finally:
        sa.event.remove(db.session, "before_commit", crash)

    after = instance(case.id)
    assert (after.serialized, after.lock_version, len(events(case.id))) == before
    assert task_named(case.id, "write_application").status == "open"
    driver.complete(task_named(case.id, "write_application"))
    assert "write_application" not in open_specs(case.id)


def test_a_second_submit_of_a_finished_task_changes_nothing(start_case, driver):
    case = start_case()
    task = driver.run(case.id, until="nominate_student")[0]
    driver.complete(task)
    count = len(events(case.id))
    with pytest.raises(TaskAlreadyCompleted):
        driver.complete(task)
    assert len(events(case.id)) == count


HOSTILE = {
    "import": "import os\nos.system('echo pwned')",
    "dunder": "x = ().__class__.__base__.__subclasses__()",
    "endless loop": "while True:\n    pass",
}


@pytest.mark.parametrize("kind", sorted(HOSTILE))
def test_a_hostile_script_fails_its_task_cleanly(start_case, driver, world, kind):
    files = files_from_directories(ROOT / "processes", ROOT / "forms")
    original = "# Counters and flags the later gateways read; set once so every path finds them."
    files["admission.bpmn"] = files["admission.bpmn"].replace(original.encode(), HOSTILE[kind].encode())
    assert files["admission.bpmn"].count(HOSTILE[kind].encode()) == 1
    # Deployment validation refuses such scripts; store the version as it is to prove that the
    # engine still never runs them if one got in (an older version, a database edited by hand).
    store_version(files, comment=f"hostile: {kind}")
    db.session.commit()
    case = start_case()
    driver.run(case.id, until="add_to_sympathiser_list")
    count = len(events(case.id))
    with pytest.raises(StepFailed) as failed:
        driver.complete(task_named(case.id, "add_to_sympathiser_list"))
    assert "initialise_case" in str(failed.value)
    assert task_named(case.id, "add_to_sympathiser_list").status == "open"
    # Nothing of the step was kept; only the failure is recorded for the operations view (issue 15).
    assert [e.kind for e in events(case.id)][count:] == ["step_failed"]


def test_out_of_scope_is_not_found_and_wrong_role_is_forbidden(start_case, driver, world):
    case = start_case("TQ-LN-THPT")
    task = driver.run(case.id, until="nominate_student")[0]
    sibling = world.users[("TQ-CH-THPT", "cell_secretary")]
    auditor = world.users["auditor"]
    secretary = world.users[("TQ-LN-THPT", "cell_secretary")]
    for user, error in ((sibling, NotFound), (auditor, Forbidden), (secretary, Forbidden)):
        with pytest.raises(error):
            complete_task(user, task.id, driver.answers(task), now=driver.now)
    assert open_specs(case.id) == ["nominate_student"]


def test_state_survives_a_restart(start_case, driver, app):
    case_id = start_case().id
    driver.run(case_id, until="plan_cell_meeting")
    db.session.remove()
    restarted = create_app(_same_config(app))
    with restarted.app_context():
        driver.run(case_id, until="appraise_file")
        assert open_specs(case_id) == ["appraise_file"]
        db.session.remove()


def _same_config(app):
    config = Config({"DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
                     "KETNAP_AUDIT_KEY": app.config["AUDIT_KEY"], "SECRET_KEY": app.config["SECRET_KEY"],
                     "KETNAP_PASSWORD_HASH": app.config["PASSWORD_HASH_METHOD"]})
    config.TESTING = True
    return config


def test_every_event_is_in_the_chain(start_case, driver):
    case = start_case()
    driver.run(case.id, until="write_application")
    seqs = db.session.execute(sa.select(InstanceEvent.seq).order_by(InstanceEvent.seq)).scalars().all()
    assert seqs == list(range(1, len(seqs) + 1))
