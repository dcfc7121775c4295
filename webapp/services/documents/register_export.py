"""The national member register's record of each member recognised, per unit and period (CSV, XLSX).

A member is recognised when the member register marks them official (`party_member.official_on`,
written by the recognition step, services/register/case_entry.py): the export lists the members
of the cases in the reader's scope (optionally one unit and the units below it) whose official
date falls in the period, one row each, with the columns of COLUMNS. Values are recorded facts
only: the student's record, the register's dates, the decisions' numbers and dates as the
deciding bodies recorded them; a fact not recorded is an empty cell.

The column layout is ours: no import format of the central party-member database software was
found in a published text. Which columns a party member record (Phiếu đảng viên, 2-HSĐV) is
known to hold, and which are our choice, is said per column (`confirmed`) and in
docs/operations.md. The CCCD is masked except for the roles that read it (need_to_know). Every
export is an audit event (who, filters, how many rows).
"""
import io
from dataclasses import dataclass
from datetime import date

from openpyxl import Workbook
from sqlalchemy import select

from ...authz.documents import may_export_register
from ...authz.need_to_know import ROLE_READS
from ...extensions import db
from ...models import HumanTask, OrgUnit, ProcessInstance, Student, UnitClosure
from ...models.register import PartyMember
from ...rules.statistics import OCCUPATIONS, SEXES
from ..audit import append_event
from ..clock import resolve_now
from ..errors import Forbidden, InvalidSubmission, NotFound
from ..exports import csv_writer, neutralised
from .facts import mask_citizen_id

ADMISSION_DECISIONS = ("decide_admission", "decide_admission_delegated")
RECOGNITION_DECISIONS = ("decide_recognition", "decide_recognition_delegated")
MAX_PERIOD_DAYS = 3 * 366


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    confirmed: bool  # a field of the party member record (2-HSĐV); False: our choice, unconfirmed


COLUMNS = (
    Column("full_name", "Họ và tên", True),
    Column("sex", "Giới tính", True),
    Column("date_of_birth", "Ngày sinh", True),
    Column("ethnicity", "Dân tộc", True),
    Column("religion", "Tôn giáo", True),
    Column("citizen_id", "Số CCCD", True),
    Column("occupation", "Nghề nghiệp", True),
    Column("education_level", "Trình độ giáo dục phổ thông", True),
    Column("admitted_on", "Ngày vào Đảng", True),
    Column("admission_decision", "Số quyết định kết nạp", False),
    Column("official_on", "Ngày chính thức", True),
    Column("recognition_decision", "Số quyết định công nhận chính thức", False),
    Column("recognition_decision_date", "Ngày quyết định công nhận", False),
    Column("cell", "Chi bộ", True),
    Column("grassroots", "Đảng bộ cơ sở", True),
    Column("youth_union_member", "Đoàn viên", False),
    Column("readmission", "Kết nạp lại", False),
)


@dataclass(frozen=True)
class RegisterExport:
    rows: tuple  # dicts keyed by Column.key
    unit_name: str
    period_from: date
    period_to: date


def _period(period_from, period_to):
    errors = {}
    if period_from is None:
        errors["from"] = ["required"]
    if period_to is None:
        errors["to"] = ["required"]
    if not errors and period_from > period_to:
        errors["to"] = ["before_from"]
    if not errors and (period_to - period_from).days > MAX_PERIOD_DAYS:
        errors["to"] = ["period_too_long"]
    if errors:
        raise InvalidSubmission(errors)


def _latest(instance_ids, spec_names):
    """{instance id: submitted} of the latest completion of these steps per case."""
    rows = db.session.execute(select(HumanTask.instance_id, HumanTask.submitted)
                              .where(HumanTask.instance_id.in_(instance_ids), HumanTask.spec_name.in_(spec_names),
                                     HumanTask.status == "completed")
                              .order_by(HumanTask.completed_at, HumanTask.id)).all()
    return {instance_id: submitted or {} for instance_id, submitted in rows}


def _grassroots(unit_ids):
    """{unit id: name of its nearest grassroots organisation (or itself)}."""
    rows = db.session.execute(select(UnitClosure.descendant_id, OrgUnit.name, UnitClosure.depth)
                              .join(OrgUnit, OrgUnit.id == UnitClosure.ancestor_id)
                              .where(UnitClosure.descendant_id.in_(unit_ids),
                                     OrgUnit.kind.in_(("grassroots_committee", "grassroots_cell")))
                              .order_by(UnitClosure.depth.desc())).all()
    return {unit_id: name for unit_id, name, _ in rows}  # the nearest (smallest depth) is written last


def register_records(user, acting, period_from, period_to, unit_id=None):
    """The members recognised in the period in the acting role's scope (or the unit given, inside it)."""
    if not may_export_register(acting):
        raise Forbidden("the register export is for the organisation board, the standing committee and auditors",
                        code="not_for_your_role")
    _period(period_from, period_to)
    top = unit_id or acting.unit_id
    if unit_id is not None and not db.session.execute(select(UnitClosure.depth).where(
            UnitClosure.ancestor_id == acting.unit_id, UnitClosure.descendant_id == unit_id)).first():
        raise NotFound("no such unit in your scope")
    found = db.session.execute(
        select(PartyMember, Student, ProcessInstance.id, ProcessInstance.unit_id, OrgUnit.name)
        .join(Student, Student.id == PartyMember.student_id)
        .join(ProcessInstance, (ProcessInstance.student_id == Student.id) & (ProcessInstance.outcome == "official"))
        .join(UnitClosure, (UnitClosure.descendant_id == ProcessInstance.unit_id) & (UnitClosure.ancestor_id == top))
        .join(OrgUnit, OrgUnit.id == ProcessInstance.unit_id)
        .where(PartyMember.official_on >= period_from, PartyMember.official_on <= period_to)
        .order_by(PartyMember.official_on, Student.full_name, ProcessInstance.id)).all()
    ids = [row[2] for row in found]
    admitted, recognised = _latest(ids, ADMISSION_DECISIONS), _latest(ids, RECOGNITION_DECISIONS)
    grassroots = _grassroots({row[3] for row in found})
    full_id = "citizen_id" in ROLE_READS.get(acting.role, ())
    rows = []
    for member, student, instance_id, case_unit, cell_name in found:
        decision, recognition = admitted.get(instance_id, {}), recognised.get(instance_id, {})
        rows.append({
            "full_name": student.full_name, "sex": SEXES.get(student.sex, {}).get("vi", student.sex),
            "date_of_birth": student.date_of_birth, "ethnicity": student.ethnicity, "religion": student.religion,
            "citizen_id": student.citizen_id if full_id else mask_citizen_id(student.citizen_id),
            "occupation": OCCUPATIONS.get(student.occupation, {}).get("vi", student.occupation),
            "education_level": student.education_level, "admitted_on": _day(decision.get("decision_date")),
            "admission_decision": decision.get("decision_number"), "official_on": member.official_on,
            "recognition_decision": recognition.get("recognition_decision_number"),
            "recognition_decision_date": _day(recognition.get("recognition_decision_date")),
            "cell": cell_name, "grassroots": grassroots.get(case_unit),
            "youth_union_member": "Có" if student.youth_union_member else "Không",
            "readmission": "Có" if student.readmission else "Không",
        })
    return RegisterExport(tuple(rows), db.session.get(OrgUnit, top).name, period_from, period_to)


def _day(value):
    try:
        return date.fromisoformat(value) if value else None
    except (TypeError, ValueError):
        return None


def _text(value):
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return "" if value is None else str(value)


def as_csv(export):
    out = io.StringIO()
    out.write("\ufeff")  # Excel reads UTF-8 Vietnamese only with the BOM
    writer = csv_writer(out)
    writer.writerow([column.header for column in COLUMNS])
    for row in export.rows:
        writer.writerow([_text(row[column.key]) for column in COLUMNS])
    return out.getvalue().encode("utf-8")


def as_xlsx(export):
    """Dates as dates shown dd/mm/yyyy, text as text: a cell that starts like a formula is neutralised
    (openpyxl would store `=HYPERLINK(...)` as a formula)."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Dang vien chinh thuc"
    sheet.append([column.header for column in COLUMNS])
    for row in export.rows:
        sheet.append([row[column.key] if isinstance(row[column.key], date) else neutralised(_text(row[column.key]))
                      for column in COLUMNS])
    for cells in sheet.iter_rows(min_row=2):
        for cell in cells:
            if cell.is_date:
                cell.number_format = "DD/MM/YYYY"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def export_register(user, acting, period_from, period_to, file_format, unit_id=None, *, now=None):
    """(file name, bytes) of the register export, recorded as `register_exported`."""
    if file_format not in ("csv", "xlsx"):
        raise InvalidSubmission({"format": ["unknown"]})
    export = register_records(user, acting, period_from, period_to, unit_id)
    content = as_csv(export) if file_format == "csv" else as_xlsx(export)
    try:
        append_event(kind="register_exported", occurred_at=resolve_now(now), actor=user, actor_role=acting.role,
                     actor_unit_id=acting.unit_id,
                     payload={"unit_id": unit_id or acting.unit_id, "from": period_from.isoformat(),
                              "to": period_to.isoformat(), "format": file_format, "rows": len(export.rows)})
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return f"dang-vien-chinh-thuc-{period_from.isoformat()}-{period_to.isoformat()}.{file_format}", content
