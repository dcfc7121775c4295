"""One act for many in the browser (issue 15): a course class enrolled, rejection notices acknowledged."""
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import expect

from webapp.demo import CaseDriver

from .pages import SUCCESS, fill_form, inbox_rows
from .test_approvers import ENROL, REJECTION_NOTICE, SECRETARY, batch_from_inbox, today

REJECT = {"decision": "reject", "decision_agree": 2, "decision_reason": "Chưa gương mẫu trong học tập."}
STUDENTS = ("Đinh Thị Một", "Đinh Văn Hai")


@pytest.mark.parametrize(("until", "step", "common", "overrides"), [
    ("enroll_in_course", ENROL, {"all-course_name": "Lớp bồi dưỡng khóa 3/2026", "all-course_start_date": 0}, None),
    ("acknowledge_rejection", REJECTION_NOTICE, {"all-notified_date": 0}, {"decide_admission": REJECT})])
def test_the_secretary_records_one_act_for_two_students_at_once(person, start_case, until, step, common, overrides):
    for name in STUDENTS:  # each its own person (start_case counts the CCCD up)
        driver = CaseDriver(datetime.now(UTC) - timedelta(days=60))
        driver.run(start_case("TQ-LN-THPT", now=driver.now, full_name=name).id, until=until, overrides=overrides)
    secretary = person(SECRETARY)
    page, _, _ = batch_from_inbox(secretary, STUDENTS[0], step, f"/batch/{until}")
    expect(page.locator("[data-testid=batch-form] tr[data-task] input[name$=-include]:checked")).to_have_count(2)
    fill_form(page, {name: value or today() for name, value in common.items()})  # 0: the date is today
    page.get_by_test_id("submit").click()
    expect(page.locator(SUCCESS)).to_have_text("Đã ghi nhận 2 hồ sơ.")
    for name in STUDENTS:
        expect(inbox_rows(secretary, name, step)).to_have_count(0)


def test_each_batch_button_of_the_inbox_names_its_step(person, start_case):
    """Two batch steps waiting: two buttons, each saying which step it enters, each to its own page."""
    for name, until, overrides in ((STUDENTS[0], "enroll_in_course", None),
                                   (STUDENTS[1], "acknowledge_rejection", {"decide_admission": REJECT})):
        driver = CaseDriver(datetime.now(UTC) - timedelta(days=60))
        driver.run(start_case("TQ-LN-THPT", now=driver.now, full_name=name).id, until=until, overrides=overrides)
    secretary = person(SECRETARY)
    page = secretary.go("/inbox")
    expect(page.get_by_test_id("batch-link")).to_have_text(  # in the order of the step counts (by step id)
        [f"Nhập theo lớp / theo đợt: {step}" for step in (REJECTION_NOTICE, ENROL)])
    for step, path in ((ENROL, "/batch/enroll_in_course"), (REJECTION_NOTICE, "/batch/acknowledge_rejection")):
        page = secretary.go("/inbox")
        page.get_by_role("link", name=f"Nhập theo lớp / theo đợt: {step}", exact=True).click()
        expect(page).to_have_url(secretary.base_url + path)
        expect(page.locator("h1")).to_have_text(step)
