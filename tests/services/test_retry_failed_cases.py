"""Retrying a failed case (services/operations, issue 15): two administrators pressing "Chạy lại" at
the same instant run it once — the second waits on the case's row lock and finds it no longer failed."""
from datetime import date, timedelta

import sqlalchemy as sa
from flask import current_app

from webapp.extensions import db
from webapp.models import ProcessInstance, RoleAssignment, User
from webapp.services import create_unit, run_due_timers
from webapp.services.operations import RetryOutcome, retry_failed_case

from .helpers import events, instance, open_specs
from .test_unit_of_work import _in_threads, needs_postgres


@needs_postgres
def test_two_simultaneous_retries_run_the_case_once(start_case, driver):
    case = start_case(date_of_birth=date(2008, 6, 15))  # waits on the majority timer
    driver.run(case.id, until="timer")
    home, due = instance(case.id).unit_id, instance(case.id).next_timer_at + timedelta(minutes=1)
    orphan = create_unit(kind="cell", name="Chi bộ Lạc Chỗ", code="LAC-CHO")
    db.session.execute(sa.update(ProcessInstance).where(ProcessInstance.id == case.id).values(unit_id=orphan.id))
    db.session.commit()
    run_due_timers(now=due)
    [failure] = events(case.id, "timer_failed")
    db.session.execute(sa.update(ProcessInstance).where(ProcessInstance.id == case.id).values(unit_id=home))
    db.session.commit()
    admin_id = db.session.execute(sa.select(User.id).join(RoleAssignment, RoleAssignment.user_id == User.id)
                                  .where(RoleAssignment.role == "admin")).scalars().first()
    app, case_id, failure_id = current_app._get_current_object(), case.id, failure.id
    db.session.remove()

    results = _in_threads(app, 2, lambda i: retry_failed_case(db.session.get(User, admin_id), case_id, failure_id,
                                                              now=due + timedelta(minutes=5)))

    assert sorted(r.result for r in results if isinstance(r, RetryOutcome)) == ["not_failed", "retried"], results
    assert len(events(case_id, "case_retried")) == 1 and len(events(case_id, "timer_failed")) == 1
    assert instance(case_id).status == "in_progress" and open_specs(case_id) == ["plan_cell_meeting"]
