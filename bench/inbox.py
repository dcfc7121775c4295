"""The inbox and "my unit's cases" pages on a province-sized database (200,000 cases), SQLite and PostgreSQL.

For each backend: a fresh, migrated database; the processes deployed; the demo world
(webapp/demo build_world) plus a province-sized tree — 15 district/commune committees, ~300
grassroots organisations with their cells, two delegated universities with faculty
sub-committees — made through the organisation services (closure table and audit chain kept).
One real case per kind of cell is driven through the services to every stage it passes through
(and to a rejection, a stop after verification and an under-18 wait); the bulk cases copy those
stages — their inbox rows (open and completed, with what was submitted), statuses and current
steps — with SQLAlchemy Core inserts in batches, stretched over the last years so that some
open tasks are overdue. Every bulk case stores one real serialized document. PostgreSQL is then
VACUUM ANALYZEd (what autovacuum does after a bulk load).

The pages are timed through the Flask test client — signed in with the login form and its CSRF
token, the acting role picked on /acting when the user holds several — for a cell secretary, a
district standing committee member and a province standing committee member.

    .venv/bin/python bench/inbox.py [--cases 200000] [--backends sqlite,postgres] [--requests 100]
"""
import argparse
import bisect
import json
import queue
import random
import re
import shutil
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, timezone
from itertools import accumulate
from pathlib import Path
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import sqlalchemy as sa
from sqlalchemy import func, insert, select

from bench.common import ROOT, make_app, summary
from webapp.authz import case_units
from webapp.demo import DEMO_PASSWORD, CaseDriver, build_world
from webapp.extensions import db
from webapp.models import HumanTask, OrgUnit, ProcessInstance, RoleAssignment, Student, UnitClosure, User
from webapp.rules.names import fold_name
from webapp.services import create_unit, deploy, files_from_directories, grant_role, register_and_start, run_due_timers

VIETNAM = timezone(timedelta(hours=7))
NOW = datetime.now(UTC).replace(microsecond=0)
TODAY = NOW.astimezone(VIETNAM).date()
CAPTURE_START = NOW - timedelta(days=800)  # the captured cases lie in the past, like the bulk ones
BATCH_CASES = 2000
LONG_GAP = timedelta(days=20)  # gaps this long (probation, waiting to turn 18) are kept as they are
CSRF = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')
SEARCH = "thị linh"

# ---------------------------------------------------------------------------------------------------------------
# The organisation: the demo province plus many committees, grassroots organisations and cells.

DISTRICTS = ["Sơn Dương", "Yên Sơn", "Hàm Yên", "Na Hang", "Lâm Bình"]  # 2021 rules: district committees decide
COMMUNES = ["phường Minh Xuân", "phường Phan Thiết", "phường Hưng Thành", "phường Nông Tiến", "xã Tân Trào",
            "xã Tràng Đà", "xã Thái Bình"]  # 2025 rules: commune/ward committees decide
PLACES = ["Tân Trào", "Kim Bình", "Vinh Quang", "Minh Quang", "Hòa Phú", "Phúc Ứng", "Sơn Nam", "Đông Thọ",
          "Hợp Thành", "Kháng Nhật", "Trung Yên", "Lang Quán", "Chân Sơn", "Thái Long", "Đội Cấn", "Phù Lưu",
          "Yên Lâm", "Bạch Xa", "Thượng Lâm", "Khuôn Hà", "Thổ Bình", "Hồng Quang", "Xuân Vân", "Trung Môn",
          "Lực Hành", "Mỹ Bằng", "Tứ Quận", "Đạo Viện", "Công Đa", "Kiến Thiết", "Hùng Lợi", "Trung Sơn"]
SCHOOLS = ["Trường THPT", "Trường THCS", "Trường PT Dân tộc nội trú", "Trung tâm GDNN-GDTX", "Trường THPT chuyên"]
GRASSROOTS_PER_COMMITTEE = 18
GRASSROOTS_BIG_DISTRICT = 40  # Huyện ủy Chiêm Hóa (demo) gets the most units: the "large scope" district


def build_organisation(tree):
    """~15 committees, ~300 grassroots organisations, ~550 cells under the demo province; returns the cells."""
    rng = random.Random(7)
    province = tree["province"]
    committees = [(tree["bodies"][0], GRASSROOTS_BIG_DISTRICT)] + [(body, GRASSROOTS_PER_COMMITTEE - 2)
                                                                  for body in tree["bodies"][1:]]
    for index, name in enumerate(DISTRICTS):
        unit = create_unit(kind="district", name=f"Huyện ủy {name}", code=f"TQ-D{index:02d}", parent=province,
                           rule_set="2021", committee_members=11, now=CAPTURE_START)
        committees.append((unit, GRASSROOTS_PER_COMMITTEE))
    for index, name in enumerate(COMMUNES):
        unit = create_unit(kind="commune", name=f"Đảng ủy {name}", code=f"TQ-X{index:02d}", parent=province,
                           rule_set="2025", committee_members=9, now=CAPTURE_START)
        committees.append((unit, GRASSROOTS_PER_COMMITTEE))
    cells = list(tree["cells"])
    for committee, count in committees:
        for index in range(count):
            school = f"{rng.choice(SCHOOLS)} {rng.choice(PLACES)}"
            code = f"{committee.code}-G{index:02d}"
            if rng.random() < 0.62:  # a school whose party cell is itself the grassroots organisation
                cells.append(create_unit(kind="grassroots_cell", name=f"Chi bộ {school}", code=code,
                                         parent=committee, rule_set=committee.rule_set,
                                         official_members=rng.randint(7, 25), now=CAPTURE_START))
                continue
            grassroots = create_unit(kind="grassroots_committee", name=f"Đảng ủy {school}", code=code,
                                     parent=committee, rule_set=committee.rule_set,
                                     committee_members=rng.choice((5, 7, 9)), now=CAPTURE_START)
            for number in range(1, rng.randint(2, 4) + 1):
                cells.append(create_unit(kind="cell", name=f"Chi bộ Giáo viên - Học sinh {number}",
                                         code=f"{code}-{number}", parent=grassroots, rule_set=committee.rule_set,
                                         official_members=rng.randint(7, 20), now=CAPTURE_START))
    for index, name in enumerate(("Trường Đại học Tân Trào (cơ sở 2)", "Trường Cao đẳng Sư phạm Tuyên Quang")):
        university = create_unit(kind="grassroots_committee", name=f"Đảng ủy {name}", code=f"TQ-U{index}",
                                 parent=province, rule_set="2025", committee_members=9, delegated=True,
                                 deciding_unit_id=province.id, now=CAPTURE_START)
        for faculty in range(4):
            sub = create_unit(kind="subcommittee", name=f"Đảng ủy bộ phận Khoa {faculty + 1}",
                              code=f"TQ-U{index}-K{faculty}", parent=university, rule_set="2025",
                              committee_members=5, now=CAPTURE_START)
            for number in range(1, rng.randint(2, 3) + 1):
                cells.append(create_unit(kind="cell", name=f"Chi bộ Sinh viên {number}",
                                         code=f"TQ-U{index}-K{faculty}-{number}", parent=sub, rule_set="2025",
                                         official_members=rng.randint(8, 15), now=CAPTURE_START))
    return cells


# ---------------------------------------------------------------------------------------------------------------
# Stages: every state a real case passes through, captured from cases driven through the services.

@dataclass
class Stage:
    kind: str  # "open" (tasks waiting for someone), "wait" (a timer and nothing to do), "final"
    status: str
    current_step: str
    outcome: str | None
    at: timedelta  # when the case reached this state (since it started)
    timer_in: timedelta | None  # next timer, counted from `at`
    tasks: list  # (template row, created, completed) with times as (short, long) parts of the timeline
    at_parts: tuple = (timedelta(0), timedelta(0))


@dataclass
class Shape:
    """Every stage of one kind of cell (grassroots cell, cell of a committee, under a sub-committee)."""

    levels: dict  # template unit id → "cell_id" / "subcommittee_id" / "grassroots_id" / "deciding_id"
    stages: list = field(default_factory=list)
    weights: list = field(default_factory=list)


def shape_key(units):
    return units.grassroots_cell, units.subcommittee_id is not None, units.delegated


TASK_COLUMNS = ("task_uuid", "spec_name", "label", "process_id", "form_name", "role", "unit_id", "assignee_id",
                "status", "completed_by_id", "submitted")


def _snapshot(instance_id, started, now):
    db.session.expire_all()
    instance = db.session.get(ProcessInstance, instance_id)
    rows = db.session.execute(select(HumanTask).where(HumanTask.instance_id == instance_id)
                              .order_by(HumanTask.id)).scalars().all()
    tasks = [({name: getattr(row, name) for name in TASK_COLUMNS}
              | {"due_days": (row.due_on - row.created_at.astimezone(VIETNAM).date()).days if row.due_on else None},
              row.created_at - started, row.completed_at - started if row.completed_at else None) for row in rows]
    has_open = any(row.status == "open" for row in rows)
    kind = "open" if has_open else "wait" if instance.next_timer_at else "final"
    stage = Stage(kind, instance.status, instance.current_step, instance.outcome,
                  max([now - started, *(t for _, c, d in tasks for t in (c, d) if t is not None)]),
                  instance.next_timer_at - now if instance.next_timer_at else None, tasks)
    return stage, instance.serialized


def _drive(cell, secretary, born, overrides=None, until_status=None):
    """Run a case to its end, or to a status (timers fired as they fall due); return every state it was in."""
    driver = CaseDriver(CAPTURE_START)
    case = register_and_start(secretary, cell.id, {
        "full_name": "Nguyễn Thị Mẫu", "date_of_birth": born, "sex": "F", "citizen_id": "001307000001",
        "school": cell.name, "class_name": "12A1", "youth_union_member": True}, now=CAPTURE_START)
    states = []
    for _ in range(300):
        stage, document = _snapshot(case.id, CAPTURE_START, driver.now)
        states.append((stage, document))
        if stage.status == until_status:
            return states
        open_tasks = driver.open_tasks(case.id)
        if open_tasks:
            driver.complete(open_tasks[0], overrides)
            continue
        instance = db.session.get(ProcessInstance, case.id)
        if instance.next_timer_at is None:
            return states
        driver.now = max(driver.now, instance.next_timer_at) + timedelta(minutes=1)
        run_due_timers(now=driver.now)
    raise RuntimeError("the captured case did not end")


def _split_timeline(states):
    """Cut the run's timeline into short gaps (stretched per bulk case) and long ones (kept as they are)."""
    moments = sorted({t for stage, _ in states for _, c, d in stage.tasks for t in (c, d) if t is not None}
                     | {stage.at for stage, _ in states} | {timedelta(0)})
    parts, short, long_ = {}, timedelta(0), timedelta(0)
    previous = timedelta(0)
    for moment in moments:
        gap = moment - previous
        if gap >= LONG_GAP:
            long_ += gap
        else:
            short += gap
        parts[moment] = (short, long_)
        previous = moment
    for stage, _ in states:
        stage.at_parts = parts[stage.at]
        stage.tasks = [(row, parts[c], parts[d] if d is not None else None) for row, c, d in stage.tasks]


REJECT = {name: {"decision": "reject", "decision_agree": 3, "decision_reason": "Chưa đủ tiêu chuẩn."}
          for name in ("decide_admission", "decide_admission_delegated")}
STOP = {"record_verification": {"verification_finding": "problem", "verification_notes": "Vi phạm nơi cư trú."}}
#: Share of the bulk cases in each kind of state: in progress at some step, waiting on a timer, finished.
MIX = {"open": 0.42, "probation": 0.18, "under_18": 0.04, "official": 0.28, "rejected": 0.04, "stopped": 0.04}


def capture_shapes(tree, users):
    """One Shape per kind of cell (the demo has one cell of each), and one real serialized document."""
    shapes, document = {}, None
    adult, young = CAPTURE_START.date().replace(year=CAPTURE_START.year - 19), CAPTURE_START.date() - timedelta(
        days=16 * 365)
    for cell in tree["cells"]:
        units = case_units(cell.id)
        if shape_key(units) in shapes:  # the 2021 and 2025 grassroots cells take the same path
            continue
        secretary = users[(cell.code, "cell_secretary")]
        levels = {}
        for level in ("deciding_id", "grassroots_id", "subcommittee_id", "cell_id"):  # nearest level wins
            if getattr(units, level) is not None:
                levels[getattr(units, level)] = level
        shape = Shape(levels)
        full = _drive(cell, secretary, adult)
        groups = {
            "open": [s for s, _ in full if s.kind == "open"],
            "probation": [s for s, _ in full if s.kind == "wait"],
            "official": [full[-1][0]],
            "rejected": [_drive(cell, secretary, adult, REJECT)[-1][0]],
            "stopped": [_drive(cell, secretary, adult, STOP)[-1][0]],
        }
        # Only to the wait: driven further, a long wait loops back to the application and the second pass
        # of verify_background fails in SpiffWorkflow (the first pass's verification_results is still set).
        groups["under_18"] = [_drive(cell, secretary, young, until_status="waiting")[-1][0]]
        for name, stages in groups.items():
            for stage in stages:
                shape.stages.append(stage)
                shape.weights.append(MIX[name] / len(stages))
        if document is None:
            # A case in the middle of the procedure: at the background verification (~26 KB).
            document = next(d for s, d in full if any(r["spec_name"] == "record_verification" and r["status"] == "open"
                                                         for r, _, _ in s.tasks))
        _split_timeline(full)
        for stage in (*groups["rejected"], *groups["stopped"], *groups["under_18"]):
            _split_timeline([(stage, None)])
        shapes[shape_key(units)] = shape
    return shapes, document


# ---------------------------------------------------------------------------------------------------------------
# The bulk cases.

FAMILY = [("Nguyễn", 38), ("Trần", 11), ("Lê", 9), ("Phạm", 7), ("Hoàng", 5), ("Huỳnh", 4), ("Phan", 4),
          ("Vũ", 4), ("Võ", 4), ("Đặng", 2), ("Bùi", 2), ("Đỗ", 2), ("Hồ", 1), ("Ngô", 1), ("Dương", 1), ("Lý", 1),
          ("Ma", 2), ("Hà", 1), ("Nông", 1)]
MIDDLE = {"F": ["Thị", "Thị", "Thị", "Ngọc", "Thu", "Thanh", "Phương", "Minh"],
          "M": ["Văn", "Văn", "Đức", "Minh", "Quang", "Hữu", "Thành", "Công"]}
GIVEN = {"F": ["Linh", "Lan", "Hoa", "Mai", "Thảo", "Trang", "Hương", "Ngọc", "Hà", "Yến", "Vân", "Nhung",
               "Quỳnh", "Anh", "Chi", "Giang", "Huyền", "Nga", "Phương", "My"],
         "M": ["Anh", "Bình", "Dũng", "Hùng", "Minh", "Nam", "Sơn", "Tuấn", "Long", "Phong", "Trung", "Khánh",
               "Hải", "Quân", "Đức", "Tùng", "Việt", "Hiếu", "Thắng", "Kiên"]}


def _when(started, parts, stretch):
    short, long_ = parts
    return started + short * stretch + long_


class Generator:
    """Makes the rows of the bulk cases; ids continue after what the services created."""

    def __init__(self, cells, shapes, document, version_id, first_ids, seed=2026):
        self.rng = random.Random(seed)
        self.cells = cells
        weights = [self.rng.uniform(0.3, 1.7) for _ in cells]
        self.cell_cum = list(accumulate(weights))
        self.shape_of, self.units_of = {}, {}
        for cell in cells:
            units = case_units(cell.id)
            self.units_of[cell.id] = units
            self.shape_of[cell.id] = shapes[shape_key(units)]
        self.stage_cum = {id(s): list(accumulate(s.weights)) for s in shapes.values()}
        self.document = document
        self.version_id = version_id
        self.student_id, self.instance_id, self.task_id = first_ids
        self.family = [name for name, weight in FAMILY for _ in range(weight)]

    def _name(self, sex):
        rng = self.rng
        return f"{rng.choice(self.family)} {rng.choice(MIDDLE[sex])} {rng.choice(GIVEN[sex])}"

    def batch(self, count):
        rng = self.rng
        students, instances, tasks = [], [], []
        for _ in range(count):
            cell = self.cells[bisect.bisect(self.cell_cum, rng.random() * self.cell_cum[-1])]
            shape, units = self.shape_of[cell.id], self.units_of[cell.id]
            stage = shape.stages[bisect.bisect(self.stage_cum[id(shape)], rng.random() * self.stage_cum[id(shape)][-1])]
            stretch = rng.uniform(2.0, 6.0)  # the captured cases move a step a day; real ones take days to weeks
            if stage.kind == "open":
                age = timedelta(days=min(rng.expovariate(1 / 25), 240), seconds=rng.randint(0, 86399))
            elif stage.kind == "wait":
                age = timedelta(seconds=rng.uniform(0, stage.timer_in.total_seconds() * 0.98))
            else:
                age = timedelta(days=rng.uniform(1, 3 * 365))
            reached = NOW - age
            started = reached - (stage.at_parts[0] * stretch + stage.at_parts[1])
            self.student_id += 1
            self.instance_id += 1
            sex = "F" if rng.random() < 0.58 else "M"
            born = date(2004 + rng.randint(0, 5), rng.randint(1, 12), rng.randint(1, 28))
            students.append({
                "id": self.student_id, "full_name": self._name(sex), "date_of_birth": born, "sex": sex,
                "ethnicity": "Kinh" if rng.random() < 0.7 else rng.choice(("Tày", "Dao", "Nùng", "H'Mông")),
                "religion": "Không", "citizen_id": f"008{born.year % 100:02d}{self.student_id:07d}",
                "youth_union_member": True, "occupation": "pupil", "education_level": "12/12", "school": cell.name,
                "class_name": f"12A{rng.randint(1, 8)}", "unit_id": cell.id, "user_id": None, "created_at": started})
            instances.append({
                "id": self.instance_id, "version_id": self.version_id, "student_id": self.student_id,
                "unit_id": cell.id, "status": stage.status, "current_step": stage.current_step,
                "outcome": stage.outcome, "rule_set": units.rule_set, "serialized": self.document,
                "serializer_version": "1.5+specref",
                "next_timer_at": reached + stage.timer_in if stage.timer_in is not None else None,
                "lock_version": 1 + len(stage.tasks), "started_by_id": None, "started_at": started,
                "updated_at": reached, "finished_at": reached if stage.kind == "final" else None})
            for row, created, completed in stage.tasks:
                self.task_id += 1
                created_at = _when(started, created, stretch)
                level = shape.levels[row["unit_id"]]
                tasks.append({
                    "id": self.task_id, "instance_id": self.instance_id, "task_uuid": row["task_uuid"],
                    "spec_name": row["spec_name"], "label": row["label"], "process_id": row["process_id"],
                    "form_name": row["form_name"], "role": row["role"], "unit_id": getattr(units, level),
                    "assignee_id": None, "status": row["status"], "created_at": created_at,
                    "due_on": (created_at.astimezone(VIETNAM).date() + timedelta(days=row["due_days"])
                               if row["due_days"] is not None else None),
                    "completed_at": _when(started, completed, stretch) if completed is not None else None,
                    "completed_by_id": row["completed_by_id"], "submitted": row["submitted"]})
        return students, instances, tasks


def _insert_batches(engine, batches, counts):
    """A worker: insert each batch (students, cases, inbox rows) in its own transaction."""
    tables = (Student.__table__, ProcessInstance.__table__, HumanTask.__table__)
    while (rows := batches.get()) is not None:
        with engine.begin() as connection:
            for table, batch in zip(tables, rows, strict=True):
                connection.execute(insert(table), batch)
        counts.append(tuple(len(batch) for batch in rows))


def _bulk_insert_inline(generator, cases):
    """SQLite has a single writer, and the generator's reads take its shared lock: insert through the session."""
    tables = (Student.__table__, ProcessInstance.__table__, HumanTask.__table__)
    started, done, inserted = time.perf_counter(), 0, [0, 0, 0]
    while done < cases:
        rows = generator.batch(min(BATCH_CASES, cases - done))
        for index, (table, batch) in enumerate(zip(tables, rows, strict=True)):
            db.session.execute(insert(table), batch)
            inserted[index] += len(batch)
        db.session.commit()
        done += len(rows[0])
        if done % 20000 < BATCH_CASES or done == cases:
            print(f"  {done:>7} cases inserted ({time.perf_counter() - started:5.1f} s)", flush=True)
    return inserted, time.perf_counter() - started


def bulk_insert(generator, cases):
    """PostgreSQL: generate in this thread while two workers insert. SQLite (a single writer): in turn."""
    engine = db.engine
    if engine.dialect.name == "sqlite":
        return _bulk_insert_inline(generator, cases)
    workers = 2
    batches, counts = queue.Queue(maxsize=2 * workers), []
    threads = [threading.Thread(target=_insert_batches, args=(engine, batches, counts)) for _ in range(workers)]
    for thread in threads:
        thread.start()
    started, done, reported = time.perf_counter(), 0, 0
    try:
        while done < cases:
            rows = generator.batch(min(BATCH_CASES, cases - done))
            batches.put(rows)
            done += len(rows[0])
            if done - reported >= 20000 or done == cases:
                reported = done
                print(f"  {done:>7} cases generated, {sum(c[0] for c in counts):>7} inserted "
                      f"({time.perf_counter() - started:5.1f} s)", flush=True)
    finally:
        for _ in threads:
            batches.put(None)
        for thread in threads:
            thread.join()
    inserted = [sum(column) for column in zip(*counts, strict=True)]
    if inserted[0] != cases:
        raise RuntimeError(f"only {inserted[0]} of {cases} cases were inserted (see the worker's error above)")
    return inserted, time.perf_counter() - started


def after_load():
    """PostgreSQL: sequences past the explicit ids, then VACUUM ANALYZE — what autovacuum does after a load.

    VACUUM also sets the visibility map, which index-only scans need. A page is marked all-visible only
    if no transaction still running could miss its rows, so VACUUM is repeated until (nearly) every page
    of the bulk tables is marked: another session of the cluster may hold the horizon back for a moment.
    Returns (seconds, share of all-visible pages).
    """
    started = time.perf_counter()
    db.session.commit()
    if db.engine.dialect.name != "postgresql":
        return time.perf_counter() - started, None
    with db.engine.begin() as connection:
        for table in ("student", "process_instance", "human_task"):
            connection.execute(sa.text(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"))
    visible = 0.0
    for _ in range(10):
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.exec_driver_sql("VACUUM ANALYZE")
            visible = connection.exec_driver_sql(
                "SELECT sum(relallvisible)::float / sum(relpages) FROM pg_class "
                "WHERE relname IN ('student', 'process_instance', 'human_task')").scalar()
        if visible > 0.99:
            break
        time.sleep(3)
    return time.perf_counter() - started, visible


# ---------------------------------------------------------------------------------------------------------------
# What the pages should show, counted here on their own (sanity, not a test).

def _units_below(unit_id):
    return set(db.session.execute(select(UnitClosure.descendant_id).where(UnitClosure.ancestor_id == unit_id))
               .scalars())


def expected_totals(user_id, role, unit_id):
    units = _units_below(unit_id)
    tasks = db.session.execute(
        select(HumanTask.role, HumanTask.unit_id, HumanTask.assignee_id, HumanTask.due_on, Student.full_name)
        .join(ProcessInstance, ProcessInstance.id == HumanTask.instance_id)
        .join(Student, Student.id == ProcessInstance.student_id).where(HumanTask.status == "open")).all()
    mine = [t for t in tasks if t.assignee_id == user_id
            or (t.assignee_id is None and t.role == role and t.unit_id in units)]
    cases = [c for c in db.session.execute(
        select(ProcessInstance.unit_id, ProcessInstance.status, Student.full_name)
        .join(Student, Student.id == ProcessInstance.student_id)).all() if c.unit_id in units]
    return {
        "inbox": len(mine),
        "inbox_overdue": sum(1 for t in mine if t.due_on is not None and t.due_on < TODAY),
        "inbox_search": sum(1 for t in mine if fold_name(SEARCH) in fold_name(t.full_name)),
        "cases": len(cases),
        "cases_in_progress": sum(1 for c in cases if c.status == "in_progress"),
        "cases_search": sum(1 for c in cases if fold_name(SEARCH) in fold_name(c.full_name)),
    }


#: (label, user name, role, unit code): the small scope, a district with many units, the whole province.
USERS = [
    ("cell secretary", "tq-ln-thpt.cell_secretary", "cell_secretary", "TQ-LN-THPT"),
    ("district standing committee", "tq-ch.standing_committee", "standing_committee", "TQ-CH"),
    ("province standing committee", "tq.standing_committee", "standing_committee", "TQ"),
]
PAGES = [
    ("inbox", "/inbox", "inbox-total"),
    ("inbox_overdue", "/inbox?due=overdue&sort=due", "inbox-total"),
    ("inbox_search", f"/inbox?q={quote(SEARCH)}", "inbox-total"),
    ("cases", "/cases", "cases-total"),
    ("cases_in_progress", "/cases?status=in_progress", "cases-total"),
    ("cases_search", f"/cases?q={quote(SEARCH)}", "cases-total"),
]


# ---------------------------------------------------------------------------------------------------------------
# Timing through real HTTP.

def _token(client, url):
    match = CSRF.search(client.get(url).get_data(as_text=True))
    assert match, f"no CSRF token on {url}"
    return match.group(1)


def signed_in(app, username, role_id):
    client = app.test_client()
    response = client.post("/login", data={"username": username, "password": DEMO_PASSWORD,
                                           "csrf_token": _token(client, "/login")})
    assert response.status_code == 302, f"sign-in of {username} failed: {response.status_code}"
    if client.get("/inbox").status_code == 302:  # several roles: pick one, as the user would on /acting
        response = client.post("/acting", data={"assignment": role_id, "csrf_token": _token(client, "/acting")})
        assert response.status_code == 302, f"picking the role of {username} failed: {response.status_code}"
    return client


def keyed(client, url):
    """The address a name search is shown at: the text moves into the session under a key (issue 9)."""
    if "q=" not in url:
        return url
    response = client.get(url)
    assert response.status_code == 303, f"{url}: {response.status_code}"
    return response.headers["Location"]


def time_pages(app, label, username, role_id, expected, requests, warmup):
    client = signed_in(app, username, role_id)
    results = {}
    for name, url, testid in PAGES:
        url = keyed(client, url)
        needle = f'data-testid="{testid}">{expected[name]}<'
        for _ in range(warmup):
            client.get(url)
        samples = []
        for _ in range(requests):
            started = time.perf_counter()
            response = client.get(url)
            samples.append(time.perf_counter() - started)
            assert response.status_code == 200, f"{url} as {username}: {response.status_code}"
        html = response.get_data(as_text=True)
        shown = re.search(f'data-testid="{testid}">([^<]*)<', html)
        assert needle in html, f"{url} as {username}: expected {expected[name]} rows, the page shows {shown}"
        stats = summary(samples)
        results[name] = stats
        print(f"  {label:<42} {url:<30} rows {expected[name]:>6}  median {stats['median_ms']:7.2f} ms"
              f"  p95 {stats['p95_ms']:7.2f} ms", flush=True)
    return results


# ---------------------------------------------------------------------------------------------------------------

def run_backend(backend, cases, requests, warmup, keep=False):
    print(f"\n[{backend}]")
    app = make_app(backend)
    with app.app_context():
        started = time.perf_counter()
        version = deploy(files_from_directories(ROOT / "processes", ROOT / "forms"), comment="bench")
        tree, users = build_world(CAPTURE_START)
        cells = build_organisation(tree)
        # Members of a standing committee often also lead the organisation board: two roles, pick one.
        grant_role(users[("TQ-CH", "standing_committee")], "org_board", tree["bodies"][0], now=CAPTURE_START)
        grant_role(users[("TQ", "standing_committee")], "org_board", tree["province"], now=CAPTURE_START)
        db.session.commit()
        tree_seconds = time.perf_counter() - started
        started = time.perf_counter()
        shapes, document = capture_shapes(tree, users)
        capture_seconds = time.perf_counter() - started
        first_ids = tuple(db.session.execute(select(func.coalesce(func.max(model.id), 0))).scalar()
                          for model in (Student, ProcessInstance, HumanTask))
        generator = Generator(cells, shapes, document, version.id, first_ids)
        db.session.commit()
        units = db.session.execute(select(func.count()).select_from(OrgUnit)).scalar()
        kinds = Counter(db.session.execute(select(OrgUnit.kind)).scalars())
        print(f"  organisation: {units} units ({', '.join(f'{n} {k}' for k, n in sorted(kinds.items()))}), "
              f"{tree_seconds:.1f} s; {sum(len(s.stages) for s in shapes.values())} stages captured from "
              f"{4 * len(shapes)} real cases in {capture_seconds:.1f} s; document {len(document) / 1024:.0f} KiB")
        db.session.commit()  # no transaction of ours stays open while the workers write (SQLite: one writer)
        (_students, instances, task_rows), load_seconds = bulk_insert(generator, cases)
        vacuum_seconds, visible = after_load()
        open_rows = db.session.execute(select(func.count()).select_from(HumanTask)
                                       .where(HumanTask.status == "open")).scalar()
        statuses = Counter(dict(db.session.execute(
            select(ProcessInstance.status, func.count()).group_by(ProcessInstance.status)).all()))
        vacuumed = f"VACUUM ANALYZE, {visible:.0%} of the pages all-visible" if visible is not None else "no ANALYZE"
        print(f"  bulk insert: {instances} cases, {task_rows} inbox rows ({open_rows} open) in {load_seconds:.1f} s"
              f" (+{vacuum_seconds:.1f} s {vacuumed})")
        print(f"  statuses: {', '.join(f'{k} {v}' for k, v in statuses.most_common())}")
        people = []
        for label, username, role, unit in USERS:
            user = db.session.execute(select(User).where(User.username == username)).scalar_one()
            assignment = db.session.execute(
                select(RoleAssignment).join(OrgUnit, OrgUnit.id == RoleAssignment.unit_id)
                .where(RoleAssignment.user_id == user.id, RoleAssignment.role == role, OrgUnit.code == unit)
            ).scalar_one()
            units_below = len(_units_below(assignment.unit_id))
            people.append((f"{label} ({units_below} unit{'s' if units_below > 1 else ''})", username, assignment.id,
                           expected_totals(user.id, role, assignment.unit_id)))
        db.session.remove()
    figures = {}
    for label, username, role_id, expected in people:
        figures[label] = time_pages(app, label, username, role_id, expected, requests, warmup)
    with app.app_context():
        database = db.engine.url.database
        db.engine.dispose()
    if backend == "sqlite" and not keep:  # ~7 GB at 200,000 cases
        shutil.rmtree(Path(database).parent, ignore_errors=True)
    return {"backend": backend, "cases": cases, "inbox_rows": task_rows, "open_rows": open_rows,
            "load_seconds": load_seconds, "pages": figures}


def print_table(results):
    """Median / p95 in ms per page and user, one column per backend (Markdown)."""
    names = {"sqlite": "SQLite", "postgres": "PostgreSQL"}
    print("\n| user | page | " + " | ".join(f"{names.get(r['backend'], r['backend'])} median / p95"
                                          for r in results) + " |")
    print("|---|---|" + "---|" * len(results))
    for label in results[0]["pages"]:
        for name, url, _testid in PAGES:
            cells = [f"{r['pages'][label][name]['median_ms']:.1f} / {r['pages'][label][name]['p95_ms']:.1f} ms"
                     for r in results]
            print(f"| {label} | `{url.replace('%E1%BB%8B%20', 'ị ')}` | " + " | ".join(cells) + " |")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cases", type=int, default=200_000, help="bulk cases per backend")
    parser.add_argument("--backends", default="sqlite,postgres")
    parser.add_argument("--requests", type=int, default=100, help="timed requests per page and user")
    parser.add_argument("--warmup", type=int, default=5, help="untimed requests before each page's timing")
    parser.add_argument("--keep", action="store_true", help="keep the SQLite file (~7 GB at 200,000 cases)")
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args()
    results = [run_backend(backend, args.cases, args.requests, args.warmup, args.keep)
               for backend in args.backends.split(",")]
    print_table(results)
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
