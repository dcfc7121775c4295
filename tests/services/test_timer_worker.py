"""The timer worker fires every due timer, survives one case's failure, and times its audit walk (issue 16).

Before: a pass fired at most 100 timers (120 due → 100 fired), any error that was not an engine
error stopped the pass (and the worker), the recorded walk of the audit chain had the same start
and end, and seed-demo left timers already due although it said they lay ahead.
"""
import logging
from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy import inspect

from webapp.demo.seed import seed_demo
from webapp.extensions import db
from webapp.models import ProcessInstance, Student
from webapp.services import create_unit, record_verification, run_due_timers, run_worker
from webapp.services.integrity import latest_walk

from .helpers import events, instance, open_specs

# Under 18 at the cell meeting the driver plans, of age by month in June 2026: the case waits on a
# timer that is due on the real clock of `flask timers run` (and on the fixed clock below).
MINOR = date(2008, 6, 15)


def _waiting_case(start_case, driver, **student):
    case = start_case(date_of_birth=MINOR, **student)
    driver.run(case.id, until="timer")
    waiting = instance(case.id)
    assert waiting.status == "waiting" and waiting.next_timer_at is not None
    return waiting


def _copies(waiting, count):
    """`count` more cases in exactly the state of `waiting` (own student rows), as stored rows."""
    def copy(row, **changes):
        mapper = inspect(type(row))
        values = {c.key: getattr(row, c.key) for c in mapper.column_attrs if c.key != "id"}
        return type(row)(**values | changes)

    student = db.session.get(Student, waiting.student_id)
    ids = []
    for n in range(count):
        twin = copy(student, citizen_id=f"0012080{n:05d}")
        db.session.add(twin)
        db.session.flush()
        clone = copy(waiting, student_id=twin.id)
        db.session.add(clone)
        db.session.flush()
        ids.append(clone.id)
    db.session.commit()
    return ids


def _cli(app, *args):
    return app.test_cli_runner().invoke(args=list(args))


def test_timers_run_fires_every_due_timer_not_just_the_first_hundred(app, start_case, driver):
    waiting = _waiting_case(start_case, driver)
    ids = [waiting.id, *_copies(waiting, 119)]
    result = _cli(app, "timers", "run")
    assert result.exit_code == 0, result.output
    assert "Fired timers on 120 case(s)." in result.output
    db.session.expire_all()
    statuses = db.session.execute(sa.select(ProcessInstance.status).where(ProcessInstance.id.in_(ids))).scalars()
    assert set(statuses) == {"in_progress"}
    assert db.session.execute(sa.select(sa.func.count()).select_from(ProcessInstance)
                              .where(ProcessInstance.next_timer_at <= datetime.now(UTC))).scalar() == 0


def test_a_pass_reads_due_cases_in_batches_and_misses_none_at_a_batch_boundary(start_case, driver):
    waiting = _waiting_case(start_case, driver)
    ids = [waiting.id, *_copies(waiting, 20)]
    fired = run_due_timers(now=waiting.next_timer_at + timedelta(minutes=1), limit=7)  # 21 = 7 + 7 + 7
    assert sorted(fired) == sorted(ids)
    assert all(open_specs(i) == ["plan_cell_meeting"] for i in (ids[0], ids[7], ids[-1]))


def test_a_case_whose_timer_fails_is_recorded_and_the_others_still_fire(start_case, driver, caplog):
    broken = _waiting_case(start_case, driver, full_name="Lương Thị Hỏng", citizen_id="001208099001")
    healthy = _waiting_case(start_case, driver, full_name="Mạc Văn Lành", citizen_id="001208099002")
    # The case's cell was moved out of the tree: no grassroots organisation above it any more. The
    # timer's step cannot place its next task (authz raises UnitTreeError, not an engine error).
    orphan = create_unit(kind="cell", name="Chi bộ Lạc Chỗ", code="LAC-CHO")
    db.session.execute(sa.update(ProcessInstance).where(ProcessInstance.id == broken.id).values(unit_id=orphan.id))
    db.session.commit()
    due = max(broken.next_timer_at, healthy.next_timer_at) + timedelta(minutes=1)
    with caplog.at_level(logging.ERROR, logger="webapp.services.timers"):
        fired = run_due_timers(now=due)
    assert list(fired) == [healthy.id]
    assert open_specs(healthy.id) == ["plan_cell_meeting"]
    failed = instance(broken.id)
    assert (failed.status, failed.next_timer_at) == ("failed", None)  # an operator sees it; not retried in a loop
    [record] = events(broken.id, "timer_failed")
    assert record.payload["error"] == "UnitTreeError" and record.payload["unexpected"] is True
    assert ".py:" in record.payload["where"]  # where in our code, for whoever fixes it
    logged = " ".join(r.getMessage() for r in caplog.records)
    assert f"timer of case {broken.id} failed (UnitTreeError" in logged
    assert "Lương" not in logged and "Chi bộ Lạc Chỗ" not in logged and "001208099001" not in logged
    assert run_due_timers(now=due + timedelta(hours=1)) == {}  # the failed case is not fired again


def test_the_worker_goes_on_after_a_case_fails(start_case, driver):
    broken = _waiting_case(start_case, driver, citizen_id="001208099003")
    healthy = _waiting_case(start_case, driver, citizen_id="001208099004")
    orphan = create_unit(kind="cell", name="Chi bộ Lạc Chỗ", code="LAC-CHO-2")
    db.session.execute(sa.update(ProcessInstance).where(ProcessInstance.id == broken.id).values(unit_id=orphan.id))
    db.session.commit()
    polls, said = [], []
    run_worker(0, stop=lambda: polls.append(1) or len(polls) > 2, log=said.append)
    assert instance(healthy.id).status == "in_progress"
    assert instance(broken.id).status == "failed"
    assert "fired timers on 1 case(s)" in said


def test_the_recorded_walk_of_the_audit_chain_has_a_real_duration(start_case):
    start_case()
    fixed = datetime(2026, 3, 1, 2, 0, tzinfo=UTC)
    walk, report = record_verification("worker", now=fixed)
    assert report.intact and report.checked > 0
    assert walk.started_at == fixed
    assert walk.finished_at > walk.started_at  # before: both were the given `now`
    assert walk.finished_at - walk.started_at < timedelta(minutes=1)


def test_the_walk_the_worker_records_has_a_real_duration(start_case):
    start_case()
    polls = []
    run_worker(0, walk_every=timedelta(hours=24), stop=lambda: polls.append(1) or len(polls) > 1, log=lambda _: None)
    walk = latest_walk()
    assert walk.source == "worker" and walk.finished_at > walk.started_at


def test_seed_demo_leaves_every_timer_in_the_future(app):
    now = datetime.now(UTC)
    seed_demo(app.config["PROCESSES_DIR"], app.config["FORMS_DIR"], now=now)
    timers = db.session.execute(sa.select(ProcessInstance.next_timer_at)
                                .where(ProcessInstance.next_timer_at.is_not(None))).scalars().all()
    assert timers, "the demo has cases waiting on timers"
    assert min(timers) > now + timedelta(days=7)
    assert run_due_timers(now=now) == {}
