"""`flask seed-demo`: a province with both rule sets in use, real school names, users, and cases at every stage.

Demo passwords are documented in the README: every demo user has the password DEMO_PASSWORD.
"""
from datetime import UTC, date, datetime, timedelta

from ..extensions import db
from ..models import OrgUnit
from ..services import (
    create_unit,
    create_user,
    deploy,
    files_from_directories,
    grant_role,
    register_and_start,
)
from ..services.schools import school_name
from .atomic import all_or_nothing
from .driver import CaseDriver
from .history import build_history
from .registers import align_unit_records, build_registers

DEMO_PASSWORD = "ketnap-demo-2026"
CELL_ROLES = ("cell_secretary", "youth_union", "introducer", "verifier", "residence_cell")
BODY_ROLES = ("standing_committee", "org_board", "political_center")


def build_world(now):
    """The demo organisation tree and one user per role per unit (no cases); returns (tree, users)."""
    tree = _tree(now)
    users = _people(tree, now)
    build_registers(tree, users, now)
    return tree, users


def _tree(now):
    province = create_unit(kind="province", name="Tỉnh ủy Tuyên Quang", code="TQ", rule_set="2025", now=now)
    # 2021 rules: a district committee decides for the schools below it.
    chiem_hoa = create_unit(kind="district", name="Huyện ủy Chiêm Hóa", code="TQ-CH", parent=province,
                            rule_set="2021", now=now)
    thpt_ch = create_unit(kind="grassroots_cell", name="Chi bộ Trường THPT Chiêm Hóa", code="TQ-CH-THPT",
                          parent=chiem_hoa, rule_set="2021", official_members=14, now=now)
    # 2025 rules: commune/ward committees sit directly above grassroots organisations.
    loc_ninh = create_unit(kind="commune", name="Đảng ủy xã Lộc Ninh", code="TQ-LN", parent=province,
                           rule_set="2025", now=now)
    thpt_ln = create_unit(kind="grassroots_cell", name="Chi bộ Trường THPT Lộc Ninh", code="TQ-LN-THPT",
                          parent=loc_ninh, rule_set="2025", official_members=11, now=now)
    cam_xuyen = create_unit(kind="commune", name="Đảng ủy phường Cẩm Xuyên", code="TQ-CX", parent=province,
                            rule_set="2025", now=now)
    thpt_cx = create_unit(kind="grassroots_committee", name="Đảng ủy Trường THPT Cẩm Xuyên", code="TQ-CX-THPT",
                          parent=cam_xuyen, rule_set="2025", committee_members=7, now=now)
    cx_cell = create_unit(kind="cell", name="Chi bộ Giáo viên - Học sinh 1", code="TQ-CX-THPT-1", parent=thpt_cx,
                          rule_set="2025", official_members=9, now=now)
    university = create_unit(kind="grassroots_committee", name="Đảng ủy Trường Đại học Tân Trào",
                             code="TQ-DHTT", parent=province, rule_set="2025", committee_members=9,
                             delegated=True, deciding_unit_id=province.id, now=now)
    faculty = create_unit(kind="subcommittee", name="Đảng ủy bộ phận Khoa Sư phạm", code="TQ-DHTT-SP",
                          parent=university, rule_set="2025", committee_members=5, now=now)
    students_cell = create_unit(kind="cell", name="Chi bộ Sinh viên Khoa Sư phạm", code="TQ-DHTT-SP-SV",
                                parent=faculty, rule_set="2025", official_members=10, now=now)
    return {
        "province": province, "bodies": [chiem_hoa, loc_ninh, cam_xuyen],
        "grassroots_committees": [thpt_cx, university], "subcommittees": [faculty],
        "cells": [thpt_ch, thpt_ln, cx_cell, students_cell],
    }


_FAMILY = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý")
_MIDDLE = ("Văn", "Thị", "Đức", "Minh", "Thu", "Quang", "Ngọc", "Hữu")
_GIVEN = ("An", "Bình", "Chi", "Dũng", "Giang", "Hà", "Hải", "Khánh", "Linh", "Long", "Mai", "Nga", "Phong",
          "Quỳnh", "Sơn", "Thảo", "Trung", "Tuấn", "Vân", "Yến")


def _person_names():
    """Plausible, distinct Vietnamese names for the demo users (the demo has no real people)."""
    n = 0
    while True:
        yield f"{_FAMILY[n % len(_FAMILY)]} {_MIDDLE[(n // 3) % len(_MIDDLE)]} {_GIVEN[(n * 7) % len(_GIVEN)]}"
        n += 1


def _user(username, full_name, role, unit, now):
    user = create_user(username=username, full_name=full_name, password=DEMO_PASSWORD, now=now)
    grant_role(user, role, unit, now=now)
    return user


def _people(tree, now):
    users, names = {}, _person_names()
    for unit in tree["cells"]:
        for role in CELL_ROLES:
            users[(unit.code, role)] = _user(f"{unit.code.lower()}.{role}", next(names), role, unit, now)
    for unit in tree["grassroots_committees"]:
        users[(unit.code, "grassroots_committee")] = _user(
            f"{unit.code.lower()}.grassroots_committee", next(names), "grassroots_committee", unit, now)
    for unit in tree["subcommittees"]:
        users[(unit.code, "subcommittee")] = _user(
            f"{unit.code.lower()}.subcommittee", next(names), "subcommittee", unit, now)
    for unit in [*tree["bodies"], tree["province"]]:
        for role in BODY_ROLES:
            users[(unit.code, role)] = _user(f"{unit.code.lower()}.{role}", next(names), role, unit, now)
    province = tree["province"]
    users["auditor"] = _user("tq.auditor", next(names), "auditor", province, now)
    users["admin"] = _user("admin", next(names), "admin", province, now)
    return users


# (family name, given name, date of birth, where the case stops, overrides)
_STAGES = [
    ("Nguyễn Thị", "Lan", date(2008, 3, 2), "add_to_sympathiser_list", {}),
    ("Trần Văn", "Minh", date(2008, 5, 9), "record_course_result", {}),
    ("Lê Thị", "Hoa", date(2008, 1, 20), "record_verification", {}),
    ("Phạm Văn", "Hùng", date(2009, 10, 4), "timer", {}),
    ("Hoàng Thị", "Mai", date(2007, 12, 1), "record_cell_vote", {}),
    ("Vũ Văn", "Nam", date(2007, 8, 15), ("decide_admission", "decide_admission_delegated"), {}),
    ("Đặng Thị", "Thu", date(2007, 6, 30), "timer", {}),
    ("Bùi Văn", "Tâm", date(2006, 2, 11), None, {}),
    ("Đỗ Thị", "Hạnh", date(2007, 4, 3), None,
     {"decide_admission": {"decision": "reject", "decision_agree": 3, "decision_reason": "Chưa đủ tiêu chuẩn."},
      "decide_admission_delegated": {"decision": "reject", "decision_agree": 3,
                                     "decision_reason": "Chưa đủ tiêu chuẩn."}}),
    ("Ngô Văn", "Quân", date(2007, 9, 9), None,
     {"record_verification": {"verification_finding": "problem",
                              "verification_notes": "Vi phạm chính sách nơi cư trú."},
      "conclude_verification_finding": {"finding_conclusion": "stop",
                                        "finding_conclusion_text": "Chưa đủ tiêu chuẩn về lý lịch."}}),
]


def _start_dates(stage_index, now):
    """Finished cases start long ago; cases still open start recently enough that their timers lie
    ahead of `now` (tests/services/test_timer_worker.py checks it): the case at the decision
    (stage 5) 60 days back, its deadline about three months after the committee got the file; the
    probationary case (6) 330 days back, its twelve months of probation not yet over."""
    days_back = {5: 60, 6: 330, 7: 800, 8: 400, 9: 300}.get(stage_index, 120)
    return now - timedelta(days=days_back)


def _cases(tree, users, now):
    count = 0
    for cell in tree["cells"]:
        secretary = users[(cell.code, "cell_secretary")]
        for index, (family, given, born, until, overrides) in enumerate(_STAGES):
            started = _start_dates(index, now)
            driver = CaseDriver(started)
            instance = register_and_start(secretary, cell.id, {
                "full_name": f"{family} {given}", "date_of_birth": born, "sex": "F" if "Thị" in family else "M",
                "citizen_id": f"0{cell.id:02d}{index:02d}08000{index:03d}", "school": school_name(cell.id),
                "class_name": "12A1", "youth_union_member": True}, now=started)
            driver.run(instance.id, until=until or (), overrides=overrides)
            count += 1
    return count


def seed_demo(processes_dir, forms_dir, now=None):
    """Create the demo world in an empty database; returns a short summary.

    All or nothing: if any step fails (a form refusing a demo answer, a diagram that does not
    deploy), the exception propagates and nothing is left in the database (demo.atomic).
    """
    now = now or datetime.now(UTC)
    if db.session.query(OrgUnit.id).first() is not None:
        raise RuntimeError("the database already has organisation units; seed-demo needs an empty database")
    with all_or_nothing():
        return _seed(processes_dir, forms_dir, now)


def _seed(processes_dir, forms_dir, now):
    epoch = now - timedelta(days=1200)  # before the oldest school year of demo/history.py
    deploy(files_from_directories(processes_dir, forms_dir), comment="Phiên bản ban đầu")
    tree, users = build_world(epoch)
    db.session.commit()
    cases = _cases(tree, users, now) + build_history(tree, users, now)
    align_unit_records(tree, users["admin"], now)  # the admitted students are in the registers now
    return {"units": sum(len(v) if isinstance(v, list) else 1 for v in tree.values()),
            "users": len(users), "cases": cases}
