"""Issue 12 in a real browser: the menu's notice count falls as a person reads their notices; a cell
secretary names a deputy on the form, the deputy opens the secretary's step during the leave, and
not after the secretary has ended it."""
from datetime import datetime, time, timedelta

from sqlalchemy import select

from webapp.extensions import db
from webapp.models import HumanTask
from webapp.rules import add_working_days
from webapp.services.clock import VIETNAM, resolve_now
from webapp.services.reminders import run_due_reminders

from .pages import SUCCESS, TASK_FORM, fill_form

CELL = "TQ-LN-THPT"


def test_the_notice_count_falls_as_notices_are_read(person, start_case, driver):
    case = start_case(CELL)
    driver.run(case.id, until="record_verification")
    due = min(db.session.execute(select(HumanTask.due_on).where(
        HumanTask.instance_id == case.id, HumanTask.status == "open", HumanTask.due_on.is_not(None))).scalars())
    run_due_reminders(datetime.combine(add_working_days(due, 1), time(9), VIETNAM))
    verifier = person("tq-ln-thpt.verifier")
    page = verifier.go("/inbox")
    before = int(page.get_by_test_id("unread-count").inner_text().split()[0])
    assert before >= 1
    page.get_by_test_id("nav-notices").click()
    page.wait_for_load_state()
    assert page.locator("[data-testid=notice][data-unread='1']").count() == before
    page.locator("[data-testid=notice][data-unread='1'] button", has_text="Đã đọc").first.click()
    page.wait_for_load_state()
    if before == 1:
        assert page.get_by_test_id("unread-count").count() == 0
    else:
        assert int(page.get_by_test_id("unread-count").inner_text().split()[0]) == before - 1
    page.get_by_test_id("read-all").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("unread-count").count() == 0


def test_a_deputy_acts_during_the_leave_and_not_after(person, world, start_case, driver):
    case = start_case(CELL)
    [task] = driver.run(case.id, until="add_to_sympathiser_list")
    assert task.role == "cell_secretary"
    secretary = person("tq-ln-thpt.cell_secretary")
    page = secretary.go("/deputies/")
    today = resolve_now().astimezone(VIETNAM).date()
    page.select_option("#deputy_id", label=world.users[(CELL, "youth_union")].full_name)
    page.fill("#starts_on", f"{today:%d/%m/%Y}")
    page.fill("#ends_on", f"{today + timedelta(days=7):%d/%m/%Y}")
    page.fill("#reason", "Nghỉ phép năm")
    page.get_by_test_id("name-deputy").click()
    page.wait_for_load_state()
    assert "đang làm thay" in page.get_by_test_id("deputyship").inner_text()

    deputy = person("tq-ln-thpt.youth_union")
    choose = deputy.go("/acting")
    choose.get_by_label("Bí thư chi bộ", exact=False).check()
    choose.get_by_role("button", name="Làm việc với vai trò này").click()
    choose.wait_for_load_state()
    opened = deputy.page.goto(f"{deputy.base_url}/tasks/{task.id}")
    assert opened.status == 200
    assert deputy.page.locator("form button[type=submit]", has_text="Gửi").count() >= 1

    page = secretary.go("/deputies/")
    page.locator("[data-testid=deputyship] button", has_text="Hủy").click()
    page.wait_for_load_state()
    assert "đã hủy" in page.get_by_test_id("deputyship").inner_text()
    after = deputy.go("/inbox")
    assert "Bí thư chi bộ" not in after.get_by_test_id("acting").inner_text()
    refused = deputy.page.goto(f"{deputy.base_url}/tasks/{task.id}")
    assert refused.status == 403


def test_the_receiving_unit_answers_a_verification_request_from_its_inbox(person, world, start_case, driver):
    """Issue 12: the letter is recorded on the verification page; the receiving cell finds the step in
    its own inbox with a notice, answers it there, and the sending cell sees it answered."""
    case = start_case(CELL)
    driver.run(case.id, until="record_verification")
    secretary = person("tq-ln-thpt.cell_secretary")
    page = secretary.go(f"/cases/{case.id}/verification")
    today = resolve_now().astimezone(VIETNAM).date()
    form = page.get_by_test_id("send-request").first
    form.get_by_label("Số công văn").fill("31-CV/CB")
    form.get_by_label("Ngày gửi").fill(f"{today:%d/%m/%Y}")
    form.get_by_label("người xin vào Đảng").check()
    form.get_by_label("Mã đơn vị nhận (trong hệ thống)").fill("TQ-CX-THPT-1")
    form.get_by_role("button", name="Ghi công văn đã gửi").click()
    page.wait_for_load_state()
    assert "31-CV/CB" in page.get_by_test_id("verification-place").first.inner_text()

    addressee = person("tq-cx-thpt-1.verifier")
    inbox = addressee.go("/inbox")
    assert int(inbox.get_by_test_id("unread-count").inner_text().split()[0]) >= 1
    task_id = db.session.execute(select(HumanTask.id).where(
        HumanTask.instance_id == case.id, HumanTask.spec_name == "record_verification",
        HumanTask.unit_id == world.cells["TQ-CX-THPT-1"].id)).scalar_one()
    inbox.locator(f"a[href='/tasks/{task_id}']").first.click()
    inbox.wait_for_load_state()
    form = inbox.locator(TASK_FORM)
    fill_form(form, {"verifier_name": "Hoàng Văn Tra", "verification_document_number": "12-CV/CB",
                     "verification_date": today, "verification_finding": "clear"})
    form.locator("button[type=submit]", has_text="Gửi").first.click()
    inbox.wait_for_load_state()
    assert "Đã ghi nhận" in inbox.locator(SUCCESS).inner_text()

    states = secretary.go(f"/cases/{case.id}/verification").locator("[data-testid=verification-place]")
    assert "answered" in [states.nth(i).get_attribute("data-state") for i in range(states.count())]
