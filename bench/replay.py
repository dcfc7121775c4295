"""A national year through the service layer: N processes drive whole admissions on PostgreSQL.

A fresh database (`ketnap_bench_replay`) gets the processes and the demo world. Then N processes
(multiprocessing) each start their share of the cases (`register_and_start`, by the cell's
secretary) and drive every case to the end: each open step completed by a holder of its role with
the demo's lawful answers (webapp/demo: CaseDriver, answers_for), and every timer (probation, the
wait for an answer) fired as the timer worker fires it (`fire_instance_timers`) with the injectable
clock moved to the moment it falls due. Each process fires only its own cases' timers: the
processes' clocks differ, and one running a year ahead must not fire another's timers early.
Prints completions/s, lifecycles/hour and the hours 200,000 admissions would take at that rate.

    .venv/bin/python bench/replay.py [--cases 200] [--processes 2] [--quick]
"""
import argparse
import json
import multiprocessing
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import func, select

from bench.common import ROOT, bench_config, make_app
from webapp import create_app
from webapp.demo import CaseDriver, build_world
from webapp.extensions import db
from webapp.models import OrgUnit, ProcessInstance, RoleAssignment, User
from webapp.services import deploy, files_from_directories, register_and_start
from webapp.services.timers import fire_instance_timers

START = datetime(2026, 1, 5, 2, tzinfo=UTC)
NATIONAL_YEAR = 200_000
DATABASE = "ketnap_bench_replay"


class CountingDriver(CaseDriver):
    """The demo driver; counts completions, fires only its own case's timers (as the worker would)."""

    completions = 0

    def complete(self, task, overrides=None, actor=None):
        result = super().complete(task, overrides, actor)
        self.completions += 1
        return result

    def drive(self, instance_id):
        for _ in range(300):
            tasks = self.open_tasks(instance_id)
            if tasks:
                self.complete(tasks[0])
                continue
            instance = db.session.get(ProcessInstance, instance_id)
            db.session.refresh(instance)
            if instance.next_timer_at is None:
                return instance.status
            self.now = max(self.now, instance.next_timer_at) + timedelta(minutes=1)
            fire_instance_timers(instance_id, self.now)
        raise RuntimeError(f"case {instance_id} did not end")


def _secretaries():
    """(cell id, cell name, secretary's user id) for every cell of the demo world."""
    return db.session.execute(
        select(OrgUnit.id, OrgUnit.name, func.min(User.id)).join(RoleAssignment, RoleAssignment.unit_id == OrgUnit.id)
        .join(User, User.id == RoleAssignment.user_id).where(RoleAssignment.role == "cell_secretary")
        .group_by(OrgUnit.id, OrgUnit.name).order_by(OrgUnit.id)).all()


def _worker(url, index, count, results):
    app = create_app(bench_config(url))
    with app.app_context():
        cells = _secretaries()
        driver = CountingDriver(START + timedelta(minutes=index))
        statuses = {}
        started = time.perf_counter()
        for number in range(count):
            cell_id, cell_name, secretary_id = cells[number % len(cells)]
            serial = index * 1_000_000 + number
            case = register_and_start(db.session.get(User, secretary_id), cell_id, {
                "full_name": f"Học sinh {serial}", "date_of_birth": datetime(2006, 1, 1).date(), "sex": "F",
                "citizen_id": f"{serial:012d}", "school": cell_name, "class_name": "12A"}, now=driver.now)
            status = driver.drive(case.id)
            statuses[status] = statuses.get(status, 0) + 1
            driver.now = START + timedelta(minutes=index)  # the next case starts again at the start of the year
        results.put({"index": index, "cases": count, "completions": driver.completions,
                     "seconds": time.perf_counter() - started, "statuses": statuses})
        db.engine.dispose()


def run(cases, processes):
    app = make_app("postgres", database=DATABASE)
    with app.app_context():
        deploy(files_from_directories(ROOT / "processes", ROOT / "forms"), comment="bench")
        build_world(START)
        db.session.commit()
        url = db.engine.url.render_as_string(hide_password=False)
        db.engine.dispose()
    context = multiprocessing.get_context("spawn")  # each process its own interpreter, engine and pool
    results = context.Queue()
    shares = [cases // processes + (1 if i < cases % processes else 0) for i in range(processes)]
    started = time.perf_counter()
    workers = [context.Process(target=_worker, args=(url, i, share, results)) for i, share in enumerate(shares)]
    for worker in workers:
        worker.start()
    figures = [results.get() for _ in workers]
    for worker in workers:
        worker.join()
    wall = time.perf_counter() - started
    # Throughput over the driving itself (the processes run side by side), not their start-up.
    driving = max(f["seconds"] for f in figures)
    completions = sum(f["completions"] for f in figures)
    statuses = {}
    for figure in figures:
        for status, n in figure["statuses"].items():
            statuses[status] = statuses.get(status, 0) + n
    per_second = completions / driving
    per_hour = cases / driving * 3600
    print(f"\n[postgres] {cases} admissions, {processes} processes, {completions} completions "
          f"({completions / cases:.1f} per case) in {driving:.1f} s ({wall:.1f} s with start-up); "
          f"cases ended: {statuses}")
    print(f"  completions/s            {per_second:8.1f}")
    print(f"  lifecycles/hour          {per_hour:8.0f}")
    print(f"  200,000 admissions take  {NATIONAL_YEAR / per_hour:8.2f} h  (target < 4 h ≈ 320 completions/s)")
    return {"cases": cases, "processes": processes, "completions": completions, "seconds": driving,
            "completions_per_second": per_second, "lifecycles_per_hour": per_hour,
            "national_year_hours": NATIONAL_YEAR / per_hour, "statuses": statuses}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cases", type=int, default=200, help="admissions driven to the end, in all")
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--quick", action="store_true", help="40 cases (well under a minute)")
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args()
    result = run(40 if args.quick else args.cases, args.processes)
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
