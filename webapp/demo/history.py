"""Three past school years of demo cases (issue 11), so the reports have a funnel worth reading.

Every cell gets, for each of the last three school years, a class of students nominated in the
autumn whose cases end in every way a case can: admitted (and recognised once the twelve months of
probation are over), rejected by the standing committee, failed the course, stopped after the
background verification, closed after a failed cell vote. The students differ in sex, ethnic group,
religion and Youth Union membership as the statistics form counts them; one is re-admitted; the
teachers' cell nominates a teacher (a civil servant in her thirties). Cases of the latest year are
still in probation: their timers lie ahead of `now` (tests/services/test_timer_worker.py).

Driven through the real services like the rest of the demo (demo/driver.py), so the stage facts are
recorded by the unit of work, dated by the acts; no act lies after `now`.
"""
from datetime import date, timedelta

from ..extensions import db
from ..models import ProcessInstance
from ..services import register_and_start
from ..services.schools import school_name
from .driver import CaseDriver

#: (days back from `now` the class is nominated; so probation is over, or still running, by `now`)
SCHOOL_YEARS = ((3, 1090), (2, 725), (1, 330))

REJECT = {"decision": "reject", "decision_agree": 3, "decision_reason": "Chưa đủ tiêu chuẩn."}
OUTCOMES = {
    "admitted": {},
    "rejected": {"decide_admission": REJECT, "decide_admission_delegated": REJECT},
    "stopped": {"record_verification": {"verification_finding": "problem",
                                        "verification_notes": "Gia đình vi phạm chính sách nơi cư trú."},
                "conclude_verification_finding": {"finding_conclusion": "stop",
                                                  "finding_conclusion_text": "Chưa đủ tiêu chuẩn về lý lịch."}},
    "closed": {"record_cell_vote": {"agree": 5, "disagree": 4},
               "reconsider_after_failed_vote": {"reconsider_decision": "close",
                                                "reconsider_reason": "Học sinh chuyển trường."}},
    "failed_course": {"record_course_result": {"attendance_percent": 40, "certificate_number": None,
                                               "certificate_date": None}},
}
#: Each cell's class of a year: two admitted and one way out, the ways out taking turns over the
#: cells and years (so each is seen three times in the province; the demo must seed in seconds).
EXITS = ("rejected", "stopped", "closed", "failed_course")

# (given name, sex, ethnic group, religion, Youth Union member): varied as Tuyên Quang's are; the
# nominated pupils are all Youth Union members (the teacher below is not).
_PEOPLE = (
    ("Lan", "F", "Kinh", "Không", True), ("Tuấn", "M", "Tày", "Không", True),
    ("Hương", "F", "Dao", "Không", True), ("Khải", "M", "Kinh", "Phật giáo", True),
    ("Nhàn", "F", "Nùng", "Không", True), ("Páo", "M", "H'Mông", "Tin Lành", True),
    ("Thắm", "F", "Sán Chay", "Không", True), ("Duy", "M", "Kinh", "Công giáo", True),
)
_FAMILY = ("Ma", "Hoàng", "Triệu", "Nông", "Lý", "Vàng", "Đặng", "Nguyễn", "Lục", "Quan")


def build_history(tree, users, now):
    """Create the past years' cases in every cell; returns how many."""
    count = 0
    for cell_number, cell in enumerate(tree["cells"]):
        secretary = users[(cell.code, "cell_secretary")]
        for years_back, days_back in SCHOOL_YEARS:
            way_out = EXITS[(cell_number + years_back) % len(EXITS)]
            for seat, outcome in enumerate(("admitted", "admitted", way_out)):
                started = now - timedelta(days=days_back - 2 * seat)
                fields = _student(cell, cell_number, years_back, seat, started)
                instance = register_and_start(secretary, cell.id, fields, now=started)
                _drive(instance.id, outcome, started, now)
                count += 1
        if cell.code == "TQ-CX-THPT-1":  # the teachers' and pupils' cell: a teacher, re-admitted
            count += _teacher(cell, secretary, now)
    return count


def _student(cell, cell_number, years_back, seat, started):
    given, sex, ethnicity, religion, youth_union = _PEOPLE[(seat + cell_number + years_back) % len(_PEOPLE)]
    middle = "Thị" if sex == "F" else "Văn"
    family = _FAMILY[(seat * 3 + cell_number + years_back) % len(_FAMILY)]
    born = date(started.year - 18 - (seat % 2), 1 + (seat * 5 + cell_number) % 12, 1 + (seat * 7) % 27)
    return {"full_name": f"{family} {middle} {given}", "date_of_birth": born, "sex": sex,
            "citizen_id": f"09{cell.id:02d}{years_back:02d}{seat:02d}0000", "ethnicity": ethnicity,
            "religion": religion, "youth_union_member": youth_union, "school": school_name(cell.id),
            "class_name": "12A2" if "Đại học" not in school_name(cell.id) else "K60"}


def _drive(instance_id, outcome, started, now, extra=None):
    driver = CaseDriver(started)
    overrides = OUTCOMES[outcome] | (extra or {})
    if outcome == "failed_course":  # the class failed, waiting for the next course
        driver.run(instance_id, until="record_course_result")
        task = next(t for t in driver.open_tasks(instance_id) if t.spec_name == "record_course_result")
        driver.complete(task, overrides)
        return
    driver.run(instance_id, until="timer", overrides=overrides)
    instance = db.session.get(ProcessInstance, instance_id)
    db.session.refresh(instance)
    # Past the probation only when its twelve months and the recognition steps all lie before `now`.
    if instance.next_timer_at is not None and instance.next_timer_at + timedelta(days=30) < now:
        driver.run(instance_id, overrides=overrides)


def _teacher(cell, secretary, now):
    started = now - timedelta(days=SCHOOL_YEARS[1][1] + 20)
    instance = register_and_start(secretary, cell.id, {
        "full_name": "Trần Thị Thanh Hà", "date_of_birth": date(started.year - 33, 4, 12), "sex": "F",
        "citizen_id": f"09{cell.id:02d}990000001"[:12], "occupation": "civil_servant", "education_level": "Đại học",
        "readmission": True, "youth_union_member": False, "school": school_name(cell.id), "class_name": "Tổ Văn"},
        now=started)
    # Past the Youth Union's age: introduced by two party members.
    _drive(instance.id, "admitted", started, now, {"nominate_student": {"youth_union_member": False},
                                                   "assign_introducers": {"introduction_mode": "two_members"}})
    return 1

