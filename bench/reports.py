"""The report pages (issue 11) on a province-sized database (200,000 cases), SQLite and PostgreSQL.

The organisation is bench/inbox.py's (the demo world plus ~15 committees, ~300 grassroots
organisations, ~550 cells, made through the organisation services). The reports read only
`case_stage`, `student`, `process_instance` and `human_task`, so the bulk cases are written as
those facts directly (SQLAlchemy Core, in batches): each case starts on a day of the last four
years and goes down the funnel, each stage taking days to weeks, a share leaving by each exit; the
deadline-bound steps get their task rows with a due date (some late), running cases an open step
(some overdue; a case whose dossier is complete waits for its verification answer), and every
verification step its 20-KNĐ letter (verification_request), sent the day the step opened, due with
it. The serialized document is left empty: no report reads it.

Every report page is timed through the Flask test client (signed in with the login form) for a
province and a district standing committee member, for the current year; then the .xlsx of the
province's new-member form. Before timing, the funnel's first figure is checked against a count
made here with plain SQL.

    .venv/bin/python bench/reports.py [--cases 200000] [--backends sqlite,postgres] [--requests 30]
    .venv/bin/python bench/reports.py --backends postgres --reuse   # time again on the database left
"""
import argparse
import random
import re
import shutil
import sys
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import sqlalchemy as sa
from sqlalchemy import func, insert, select

from bench.common import POSTGRES_URL, ROOT, bench_config, make_app, summary
from bench.inbox import build_organisation, signed_in
from webapp import create_app
from webapp.demo import build_world
from webapp.extensions import db
from webapp.models import (
    HumanTask,
    ProcessInstance,
    RoleAssignment,
    Student,
    UnitClosure,
    User,
    VerificationRequest,
)
from webapp.models.stages import CaseStage
from webapp.rules.stages import FUNNEL
from webapp.rules.statistics import EDUCATION_LEVELS
from webapp.services import deploy, files_from_directories

NOW = datetime.now(UTC).replace(microsecond=0)
TODAY = NOW.date()
BATCH = 5000
CONTINUES = 0.86  # the share of cases that go on from one stage to the next
GAP_DAYS = {"verified": (20, 140), "recognised": (360, 400), "admitted": (10, 45)}
EXIT_AFTER = {"course_attended": "failed_course", "verified": "stopped_after_verification",
              "dossier_complete": "waiting_18", "cell_approved": "vote_failed", "committee_approved": "rejected",
              "sympathiser": "closed"}
DEADLINE_TASKS = {"verified": "record_verification", "decided": "decide_admission", "admitted": "hold_ceremony"}
READERS = [("province standing committee", "tq.standing_committee"),
           ("district standing committee (Chiêm Hóa)", "tq-ch.standing_committee")]
PAGES = ("funnel", "new-members", "targets", "stage-times", "risks")
TARGETS_MS = {"province": 300, "district": 100}


class Generator:
    def __init__(self, cells, version_id, first_ids, sender_id, seed=11):
        self.rng = random.Random(seed)
        self.cells = cells
        self.weights = [self.rng.uniform(0.3, 1.7) for _ in cells]
        self.version_id = version_id
        self.student_id, self.instance_id, self.task_id, self.stage_id, self.letter_id = first_ids
        self.sender_id = sender_id

    def _stages(self, start):
        rng, day, reached = self.rng, start, {}
        for index, stage in enumerate(FUNNEL):
            if index:
                low, high = GAP_DAYS.get(stage, (5, 40))
                day += timedelta(days=rng.randint(low, high))
            if day > TODAY:
                break
            reached[stage] = day
            if stage in EXIT_AFTER and rng.random() < 0.12:
                reached[EXIT_AFTER[stage]] = day + timedelta(days=rng.randint(1, 20))
                break
            if rng.random() > CONTINUES:
                break
        return reached

    def batch(self, count):
        rng = self.rng
        students, instances, stages, tasks, letters = [], [], [], [], []
        for cell in rng.choices(self.cells, weights=self.weights, k=count):
            first_task = len(tasks)
            start = TODAY - timedelta(days=rng.randint(0, 4 * 365))
            reached = self._stages(start)
            self.student_id += 1
            self.instance_id += 1
            sex = "F" if rng.random() < 0.58 else "M"
            age = rng.choice((17, 17, 18, 19, 20, 22, 25, 33))
            born = date(start.year - age, rng.randint(1, 12), rng.randint(1, 28))
            university = "Sinh viên" in cell.name
            students.append({
                "id": self.student_id, "full_name": f"Học Sinh {self.student_id}", "date_of_birth": born, "sex": sex,
                "ethnicity": "Kinh" if rng.random() < 0.7 else rng.choice(("Tày", "Dao", "Nùng", "H'Mông")),
                "religion": "Không" if rng.random() < 0.9 else "Phật giáo",
                "citizen_id": f"008{born.year % 100:02d}{self.student_id:07d}",
                "youth_union_member": rng.random() < 0.9,
                "occupation": "university_student" if university else "pupil",
                "education_level": "Đại học" if university else rng.choice(tuple(EDUCATION_LEVELS)[:2]),
                "school": cell.name, "class_name": f"12A{rng.randint(1, 8)}", "unit_id": cell.id,
                "readmission": rng.random() < 0.01, "user_id": None})
            exited = set(reached) - set(FUNNEL)
            status = ("official" if "recognised" in reached else "probationary" if "admitted" in reached
                      else "stopped" if exited else "in_progress")
            instances.append({
                "id": self.instance_id, "version_id": self.version_id, "student_id": self.student_id,
                "unit_id": cell.id, "status": status, "current_step": "", "rule_set": "2025", "serialized": b"",
                "serializer_version": "", "lock_version": 1, "started_at": datetime(start.year, start.month, start.day,
                                                                                      tzinfo=UTC),
                "updated_at": NOW, "ceremony_date": reached.get("admitted")})
            for stage, day in reached.items():
                self.stage_id += 1
                stages.append({"id": self.stage_id, "instance_id": self.instance_id, "stage": stage, "reached_on": day,
                               "unit_id": cell.id, "recorded_at": NOW})
            previous = None
            for stage in FUNNEL:
                if stage in reached and stage in DEADLINE_TASKS and previous:
                    tasks.append(self._task(DEADLINE_TASKS[stage], cell.id, reached[previous], reached[stage]))
                previous = stage if stage in reached else previous
            if status == "in_progress" and previous:
                # waiting for the verification answers when the dossier is complete, else the cell's meeting
                spec = "record_verification" if previous == "dossier_complete" else "plan_cell_meeting"
                tasks.append(self._task(spec, cell.id, reached[previous], None))
            letters.extend(self._letter(task) for task in tasks[first_task:]
                           if task["spec_name"] == "record_verification")
        return students, instances, stages, tasks, letters

    def _letter(self, task):
        """The 20-KNĐ request behind a verification step, sent the day the step opened, due with it."""
        self.letter_id += 1
        sent = task["created_at"].date()
        return {"id": self.letter_id, "task_id": task["id"], "instance_id": task["instance_id"],
                "number": f"{self.letter_id}-CV/CB", "sent_on": sent, "persons": ["applicant"],
                "addressee_unit_id": None, "addressee_name": "Đảng ủy xã", "addressee_address": "Tuyên Quang",
                "sent_by": "post", "due_on": task["due_on"], "sent_by_user_id": self.sender_id, "created_at": NOW}

    def _task(self, spec, unit_id, created, completed):
        self.task_id += 1
        return {"id": self.task_id, "instance_id": self.instance_id, "task_uuid": str(uuid.UUID(int=self.task_id)),
                "spec_name": spec, "label": spec, "process_id": "admission", "form_name": spec,
                "role": "cell_secretary", "unit_id": unit_id, "assignee_id": None,
                "status": "completed" if completed else "open",
                "created_at": datetime(created.year, created.month, created.day, tzinfo=UTC),
                "due_on": created + timedelta(days=42),
                "completed_at": datetime(completed.year, completed.month, completed.day, 9, tzinfo=UTC)
                if completed else None}


TABLES = (Student.__table__, ProcessInstance.__table__, CaseStage.__table__, HumanTask.__table__,
          VerificationRequest.__table__)


def load(generator, cases):
    started, done, counts = time.perf_counter(), 0, [0, 0, 0, 0, 0]
    while done < cases:
        rows = generator.batch(min(BATCH, cases - done))
        for index, (table, batch) in enumerate(zip(TABLES, rows, strict=True)):
            if batch:
                db.session.execute(insert(table), batch)
            counts[index] += len(batch)
        db.session.commit()
        done += len(rows[0])
        if done % 50000 < BATCH or done == cases:
            print(f"  {done:>7} cases, {counts[2]:>8} stage rows, {counts[3]:>7} task rows, {counts[4]:>6} letters "
                  f"({time.perf_counter() - started:5.1f} s)", flush=True)
    if db.engine.dialect.name == "postgresql":
        with db.engine.begin() as connection:
            for table in ("student", "process_instance", "human_task", "case_stage", "verification_request"):
                connection.execute(sa.text(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"))
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.exec_driver_sql("VACUUM ANALYZE")
    else:
        db.session.execute(sa.text("ANALYZE"))
        db.session.commit()
    return counts, time.perf_counter() - started


def nominated_this_year(unit_id):
    """The funnel's first figure counted here on its own: plain SQL over the closure table."""
    return db.session.execute(
        select(func.count()).select_from(CaseStage)
        .join(UnitClosure, UnitClosure.descendant_id == CaseStage.unit_id)
        .where(UnitClosure.ancestor_id == unit_id, CaseStage.stage == "nominated",
               CaseStage.reached_on >= date(TODAY.year, 1, 1), CaseStage.reached_on <= date(TODAY.year, 12, 31))
    ).scalar()


def time_reader(app, label, username, role_id, expected, requests, warmup):
    client = signed_in(app, username, role_id)
    query = f"period=year&year={TODAY.year}"
    html = client.get(f"/reports/funnel?{query}").get_data(as_text=True)
    shown = re.search(r'data-testid="count-nominated">([^<]*)<', html)
    assert shown and shown.group(1).replace(".", "") == str(expected), f"{label}: funnel {shown}, SQL {expected}"
    results = {}
    for page in PAGES:
        url = f"/reports/{page}?{query}"
        for _ in range(warmup):
            client.get(url)
        samples = []
        for _ in range(requests):
            started = time.perf_counter()
            response = client.get(url)
            samples.append(time.perf_counter() - started)
            assert response.status_code == 200, f"{url}: {response.status_code}"
        results[page] = summary(samples)
        print(f"  {label:<42} {page:<12} median {results[page]['median_ms']:7.1f} ms  "
              f"p95 {results[page]['p95_ms']:7.1f} ms", flush=True)
    return client, results


def run_backend(backend, cases, requests, warmup, database="ketnap_bench_reports", reuse=False):
    print(f"\n[{backend}]")
    if reuse:  # the PostgreSQL database a previous run left: time the pages again, no load
        app = create_app(bench_config(sa.make_url(POSTGRES_URL).set(database=database).render_as_string(False)))
    else:
        app = make_app(backend, database=database)
    with app.app_context():
        if not reuse:
            version = deploy(files_from_directories(ROOT / "processes", ROOT / "forms"), comment="bench")
            tree, _users = build_world(NOW - timedelta(days=5 * 365))
            cells = build_organisation(tree)
            db.session.commit()
            first = tuple(db.session.execute(select(func.coalesce(func.max(model.id), 0))).scalar()
                          for model in (Student, ProcessInstance, HumanTask, CaseStage, VerificationRequest))
            sender = db.session.execute(select(User.id).where(User.username == "admin")).scalar()
            counts, seconds = load(Generator(cells, version.id, first, sender), cases)
            print(f"  loaded {counts[1]} cases, {counts[2]} stage rows, {counts[3]} task rows, {counts[4]} letters "
                  f"in {seconds:.1f} s")
        readers = []
        for label, username in READERS:
            user = db.session.execute(select(User).where(User.username == username)).scalar_one()
            assignment = db.session.execute(select(RoleAssignment).where(RoleAssignment.user_id == user.id)).scalar()
            units = db.session.execute(select(func.count()).select_from(UnitClosure)
                                       .where(UnitClosure.ancestor_id == assignment.unit_id)).scalar()
            expected = nominated_this_year(assignment.unit_id)
            readers.append((f"{label}, {units} units", username, assignment.id, expected))
        db.session.remove()
    figures = {}
    for index, (label, username, role_id, expected) in enumerate(readers):
        client, figures[label] = time_reader(app, label, username, role_id, expected, requests, warmup)
        if index == 0:
            samples = []
            for _ in range(5):
                started = time.perf_counter()
                response = client.get(f"/reports/new-members.xlsx?period=year&year={TODAY.year}")
                samples.append(time.perf_counter() - started)
                assert response.status_code == 200 and response.data[:2] == b"PK"
            figures[label]["new-members.xlsx"] = summary(samples)
            print(f"  {label:<42} {'xlsx':<12} median {figures[label]['new-members.xlsx']['median_ms']:7.1f} ms  "
                  f"max {max(samples) * 1000:7.1f} ms", flush=True)
    with app.app_context():
        database = db.engine.url.database
        db.engine.dispose()
    if backend == "sqlite":
        shutil.rmtree(Path(database).parent, ignore_errors=True)
    return backend, figures


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cases", type=int, default=200_000)
    parser.add_argument("--backends", default="sqlite,postgres")
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--database", default="ketnap_bench_reports",
                        help="the PostgreSQL database made afresh (dropped first) and kept for EXPLAIN")
    parser.add_argument("--reuse", action="store_true",
                        help="PostgreSQL only: time the pages on the database a previous run left (no load)")
    args = parser.parse_args()
    results = [run_backend(backend, args.cases, args.requests, args.warmup, args.database, args.reuse)
               for backend in args.backends.split(",")]
    print("\n| reader | page | " + " | ".join(f"{backend} median / p95" for backend, _ in results) + " |")
    print("|---|---|" + "---|" * len(results))
    for label in results[0][1]:
        for page in results[0][1][label]:
            print(f"| {label} | {page} | " + " | ".join(
                f"{figures[label][page]['median_ms']:.0f} / {figures[label][page]['p95_ms']:.0f} ms"
                for _backend, figures in results) + " |")


if __name__ == "__main__":
    main()
