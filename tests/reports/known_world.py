"""A world of cases whose report figures the tests know in advance (issue 11).

Cases are rows written directly (student, process_instance, case_stage): each case is described by
a `Known` record, and the tests count their expectations from these records, never with the report
code. The procedure itself is exercised by test_reports_procedure.py.
"""
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import select

from webapp.extensions import db
from webapp.models import ProcessInstance, ProcessVersion, Student
from webapp.models.stages import CaseStage
from webapp.rules.stages import FUNNEL
from webapp.services.auth import acting_roles

CELLS = ("TQ-LN-THPT", "TQ-CH-THPT", "TQ-CX-THPT-1", "TQ-DHTT-SP-SV")


@dataclass
class Known:
    instance_id: int
    cell: str
    stages: dict  # stage -> date
    sex: str = "M"
    ethnicity: str = "Kinh"
    religion: str = "Không"
    occupation: str = "pupil"
    youth_union_member: bool = True
    readmission: bool = False
    date_of_birth: date = date(2006, 6, 1)
    extra: dict = field(default_factory=dict)


def add_case(world, cell_code, stages, *, number, status="in_progress", class_name="12A1", **student):
    cell = world.cells[cell_code]
    fields = {"sex": "M", "ethnicity": "Kinh", "religion": "Không", "occupation": "pupil",
              "youth_union_member": True, "readmission": False, "date_of_birth": date(2006, 6, 1)} | student
    person = Student(full_name=f"Học Sinh {number:04d}", citizen_id=f"0012060{number:05d}", school="Trường THPT",
                     class_name=class_name, unit_id=cell.id, education_level="12/12", **fields)
    db.session.add(person)
    db.session.flush()
    version_id = db.session.execute(select(ProcessVersion.id).where(ProcessVersion.active)).scalar()
    case = ProcessInstance(version_id=version_id, student_id=person.id, unit_id=cell.id, status=status,
                           rule_set="2025", serialized=b"", serializer_version="")
    db.session.add(case)
    db.session.flush()
    for stage, day in stages.items():
        db.session.add(CaseStage(instance_id=case.id, stage=stage, reached_on=day, unit_id=cell.id))
    return Known(case.id, cell_code, dict(stages), **fields)


def build(world, count=88, first=date(2024, 2, 1)):
    """`count` cases over two years: case i reaches the first i % 11 + 1 stages, 17 days apart."""
    cases = []
    for i in range(count):
        start = first + timedelta(days=9 * i)
        depth = i % len(FUNNEL) + 1
        stages = {stage: start + timedelta(days=17 * n) for n, stage in enumerate(FUNNEL[:depth])}
        if depth == 3 and i % 2:
            stages["failed_course"] = stages["course_attended"] + timedelta(days=5)
        if depth == 6 and i % 2:
            stages["stopped_after_verification"] = stages["verified"] + timedelta(days=3)
        cases.append(add_case(
            world, CELLS[i % 4], stages, number=i,
            sex="F" if i % 3 == 0 else "M", ethnicity="Tày" if i % 5 == 0 else "Kinh",
            religion="Phật giáo" if i % 7 == 0 else "Không",
            occupation="university_student" if CELLS[i % 4] == "TQ-DHTT-SP-SV" else "pupil",
            youth_union_member=i % 4 != 1, readmission=i % 13 == 0,
            date_of_birth=date(1992, 1, 1) if i % 9 == 0 else date(2006, 6, 1)))
    db.session.commit()
    return cases


def acting(user):
    """The user's only role (the demo users hold one each)."""
    (role,) = acting_roles(user.id)
    return role


def cells_below(world, unit_code):
    """The demo cells at or below the unit with this code (the tree of webapp/demo/seed.py)."""
    below = {"TQ": CELLS, "TQ-LN": ("TQ-LN-THPT",), "TQ-CH": ("TQ-CH-THPT",), "TQ-CX": ("TQ-CX-THPT-1",),
             "TQ-CX-THPT": ("TQ-CX-THPT-1",), "TQ-DHTT": ("TQ-DHTT-SP-SV",), "TQ-DHTT-SP": ("TQ-DHTT-SP-SV",)}
    return below.get(unit_code, (unit_code,))


def expected(cases, stage, start, end, cells=CELLS, where=lambda case: True):
    """The ids of the known cases that reached `stage` between the two days in these cells."""
    return {case.instance_id for case in cases if case.cell in cells and stage in case.stages
            and start <= case.stages[stage] <= end and where(case)}
