"""The command-line entry points an operator uses: seed-demo, timers run, worker, audit verify."""
from datetime import date

import sqlalchemy as sa

from webapp.extensions import db
from webapp.models import ProcessInstance
from webapp.services import run_worker

from .helpers import instance, open_specs


def _cli(app, *args):
    return app.test_cli_runner().invoke(args=list(args))


def test_seed_demo_loads_cases_at_every_stage_and_refuses_twice(app):
    result = _cli(app, "seed-demo")
    assert result.exit_code == 0, result.output
    assert "77 cases" in result.output  # 40 at every step now, 37 of three past school years (demo/history.py)
    statuses = set(db.session.execute(sa.select(ProcessInstance.status)).scalars())
    assert {"in_progress", "waiting", "probationary", "official", "rejected", "stopped"} <= statuses
    assert "intact" in _cli(app, "audit", "verify").output
    assert "already present" in _cli(app, "seed-demo", "--if-empty").output
    assert _cli(app, "seed-demo").exit_code != 0


def test_the_worker_loop_fires_due_timers(start_case, driver):
    # Under 18 at a meeting planned in January 2026; of age by month in June 2026, already past
    # on the real clock the worker reads.
    case = start_case(date_of_birth=date(2008, 6, 15))
    driver.run(case.id, until="timer")
    assert instance(case.id).status == "waiting"
    polls = []

    def stop():
        polls.append(1)
        return len(polls) > 1

    run_worker(0, stop=stop, log=lambda message: None)
    assert open_specs(case.id) == ["plan_cell_meeting"]
    assert instance(case.id).status == "in_progress"
