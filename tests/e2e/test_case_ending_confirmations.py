"""A choice that ends or stops a case is confirmed before it is recorded (issue 15), beyond "reject":
the cell closing a case after a failed vote, the standing committee stopping one on a background
finding. The case is brought to the step through the services; the person acts in the browser."""
from datetime import UTC, date, datetime, timedelta

import pytest
from playwright.sync_api import expect

from webapp.demo import CaseDriver

from .pages import TASK_FORM, fill_form, inbox_rows, open_task, submit_task
from .test_approvers import RECONSIDER, SECRETARY, STANDING, today

CONCLUSION = "Cấp ủy có thẩm quyền kết luận vấn đề lý lịch"
FAILED_VOTE = {"record_cell_vote": {"agree": 5, "disagree": 4}}
UNCLEAR = {"record_verification": {"verification_finding": "unclear",
                                   "verification_notes": "Chưa xác minh được thời gian ông nội ở nước ngoài."}}


@pytest.mark.parametrize(("student", "until", "overrides", "who", "step", "values", "warning", "status"), [
    ("Tạ Thị Đóng", "reconsider_after_failed_vote", FAILED_VOTE, SECRETARY, RECONSIDER,
     {"reconsider_decision": "close", "reconsider_reason": "Học sinh chuyển trường."},
     "Dừng xem xét sẽ đóng hồ sơ.", "Đã đóng"),
    ("Tạ Văn Dừng", "conclude_verification_finding", UNCLEAR, STANDING, CONCLUSION,
     {"finding_conclusion": "stop", "finding_conclusion_number": "09-KL/BTV", "finding_conclusion_date": 0,
      "finding_conclusion_text": "Chưa đủ tiêu chuẩn về lý lịch."},
     "Kết luận không đủ điều kiện sẽ dừng việc xét kết nạp của hồ sơ này.", "Dừng xem xét"),
])
def test_a_choice_that_ends_the_case_is_confirmed_first_then_recorded(
        person, start_case, student, until, overrides, who, step, values, warning, status):
    driver = CaseDriver(datetime.now(UTC) - timedelta(days=40))
    case_id = start_case("TQ-LN-THPT", now=driver.now, full_name=student, date_of_birth=date(2007, 10, 4)).id
    driver.run(case_id, until=until, overrides=overrides)
    values = {name: value or today() for name, value in values.items()}  # 0: the date is today
    actor = person(who)

    page = open_task(actor, student, step)
    fill_form(page.locator(TASK_FORM), values)
    page.locator(TASK_FORM).get_by_test_id("submit").click()
    expect(page.get_by_test_id("confirm-consequences")).to_contain_text(warning)
    expect(page.get_by_test_id("confirm")).to_have_text("Xác nhận và gửi")
    expect(page.locator(f"{TASK_FORM} [name={next(iter(values))}]:checked")).to_have_value(next(iter(values.values())))
    expect(inbox_rows(actor, student, step)).to_have_count(1)  # nothing recorded yet
    page = actor.go(f"/cases/{case_id}")
    expect(page.get_by_test_id("case-status")).to_have_text("Đang xét")

    page = open_task(actor, student, step)
    fill_form(page.locator(TASK_FORM), values)
    page.locator(TASK_FORM).get_by_test_id("submit").click()
    expect(page.get_by_test_id("confirm-consequences")).to_contain_text(warning)
    submit_task(page, student, step, {}, button="confirm")

    expect(inbox_rows(actor, student, step)).to_have_count(0)
    page = actor.go(f"/cases/{case_id}")
    expect(page.get_by_test_id("case-status")).to_have_text(status)
    expect(page.get_by_test_id("open-steps")).to_have_count(0)
