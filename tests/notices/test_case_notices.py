"""Issue 12: the cell is told when the upper level extends the decision deadline, decides, rejects
or removes a probationary member; the applicant with an account is told of their own case. Written
in the step's transaction, driven through the real procedure."""
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import Notice, RoleAssignment, Student
from webapp.services import create_user

from ..services.helpers import task_named

REJECT = {"decision": "reject", "decision_agree": 2, "decision_reason": "Chưa gương mẫu trong học tập."}


def _told(kind):
    return db.session.execute(select(Notice.user_id, Notice.params).where(Notice.kind == kind)
                              .order_by(Notice.user_id)).all()


def _secretaries(unit_id):
    return set(db.session.execute(select(RoleAssignment.user_id).where(
        RoleAssignment.role == "cell_secretary", RoleAssignment.unit_id == unit_id)).scalars())


def _with_account(start_case):
    case = start_case()
    account = create_user(username="hs.an", full_name="Nguyễn Văn An", password="một mật khẩu rất dài 2026")
    db.session.get(Student, case.student_id).user_id = account.id
    db.session.commit()
    return case, account


def test_the_cell_and_the_applicant_hear_of_a_rejection(start_case, driver):
    case, account = _with_account(start_case)
    driver.run(case.id, until="acknowledge_rejection", overrides={"decide_admission": REJECT})
    told = _told("admission_rejected")
    assert {user for user, _ in told} == _secretaries(case.unit_id) | {account.id}
    assert all(params["case"] == case.id and params["spec"] == "decide_admission" for _, params in told)
    assert _told("admission_decided") == []


def test_the_cell_hears_of_the_extension_and_of_the_decision(start_case, driver):
    case = start_case()
    driver.run(case.id, until="appraise_file")
    driver.complete(task_named(case.id, "appraise_file"), {"appraise_file": {
        "request_extension": True, "extension_reason": "Chờ kết luận thẩm tra bổ sung."}})
    assert {user for user, _ in _told("deadline_extended")} == _secretaries(case.unit_id)
    driver.run(case.id, until="hold_ceremony")
    [*decided] = _told("admission_decided")
    assert {user for user, _ in decided} == _secretaries(case.unit_id)
    assert decided[0].params["number"] and decided[0].params["date"]


def test_a_step_that_calls_for_no_notice_writes_none(start_case, driver):
    case = start_case()
    driver.run(case.id, until="appraise_file")
    assert db.session.execute(select(Notice)).first() is None
