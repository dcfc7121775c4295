"""Issue 15's defects on the task page and the case page, as a cell secretary meets them in the browser.

Each test failed on the code before the fix: an upload wiped the typed vote; a vote with a typo
short of two thirds was recorded at once; the case page had no way to the open step; a second tab
of the same person was told that "another person" completed the step.
"""
import re
from datetime import date, timedelta

from playwright.sync_api import expect

from .conftest import Person
from .pages import SUCCESS, TASK_FORM, expect_vote_preview, fill_form, inbox_rows, open_task
from .test_approvers import CELL_VOTE, FAILS, RECONSIDER, SECRETARY, started_and_driven, tick_present, today, vote

STUDENT = "Hoàng Thị Mai"


def _at_cell_vote(start_case, name=STUDENT, citizen_id="008307004321"):
    return started_and_driven(start_case, "record_cell_vote", name=name, born=date(2007, 5, 20),
                              citizen_id=citizen_id)


def _expect_values(page, values):
    form = page.locator(TASK_FORM)
    for name, value in values.items():
        shown = value.isoformat() if isinstance(value, date) else str(value)
        expect(form.locator(f"[name={name}]")).to_have_value(shown)


def test_uploading_a_scan_keeps_what_was_typed_accepted_or_refused(person, start_case, tmp_path):
    _at_cell_vote(start_case)
    secretary = person(SECRETARY)
    page = open_task(secretary, STUDENT, CELL_VOTE)
    typed = vote(today() - timedelta(days=2), present=10, agree=9, disagree=1, number="21-NQ/CB <i>x</i>")
    tick_present(page, 10)  # who was present is ticked from the register
    fill_form(page.locator(TASK_FORM), typed)

    refused = tmp_path / "bien-ban.pdf"
    refused.write_bytes(b"MZ\x90\x00 a program, not a scan")
    page.locator("input[type=file]").set_input_files(str(refused))
    page.get_by_role("button", name="Tải lên").click()
    expect(page.locator("main .alert-danger")).to_have_count(1)
    expect(page.locator("h1")).to_have_text(CELL_VOTE)
    _expect_values(page, typed)

    scan = tmp_path / "bien-ban-hop-chi-bo.pdf"
    scan.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    page.locator("input[type=file]").set_input_files(str(scan))
    page.get_by_role("button", name="Tải lên").click()
    expect(page.locator(SUCCESS)).to_have_text("Đã đính kèm bien-ban-hop-chi-bo.pdf.")
    _expect_values(page, typed)
    expect_vote_preview(page, counted=11, threshold=8, verdict="✔ đạt")

    page.locator(TASK_FORM).get_by_test_id("submit").click()  # the kept values are sent as they are
    expect(page.locator(SUCCESS)).to_have_text(f"Đã ghi nhận: {CELL_VOTE} — {STUDENT}")


def test_a_typo_that_fails_the_vote_is_caught_before_it_is_recorded(person, start_case):
    case_id = _at_cell_vote(start_case, name="Đỗ Văn Khang", citizen_id="008207004322")
    secretary = person(SECRETARY)
    page = open_task(secretary, "Đỗ Văn Khang", CELL_VOTE)
    meeting = today() - timedelta(days=2)
    typo = vote(meeting, present=10, agree=5, disagree=5, number="22-NQ/CB")  # meant 9 agree, 1 against
    tick_present(page, 10)
    fill_form(page.locator(TASK_FORM), typo)
    expect_vote_preview(page, counted=11, threshold=8, verdict=FAILS)
    page.locator(TASK_FORM).get_by_test_id("submit").click()

    warning = page.get_by_test_id("confirm-consequences")
    expect(warning).to_contain_text("Biểu quyết này không đạt 2/3: 5 tán thành trên 11 được tính, cần ít nhất 8.")
    expect(warning).to_contain_text("Hồ sơ sẽ đi theo nhánh biểu quyết không đạt.")
    expect(page.get_by_test_id("confirm")).to_have_text("Xác nhận và gửi")
    _expect_values(page, typo)
    expect(inbox_rows(secretary, "Đỗ Văn Khang", CELL_VOTE)).to_have_count(1)  # nothing recorded yet

    page = secretary.go(f"/cases/{case_id}")  # the case page leads back to the step
    page.get_by_test_id("open-my-step").click()
    expect(page.locator("h1")).to_have_text(CELL_VOTE)
    fixed = typo | {"agree": 9, "disagree": 1}
    tick_present(page, 10)
    fill_form(page.locator(TASK_FORM), fixed)
    page.locator(TASK_FORM).get_by_test_id("submit").click()
    expect(page.locator(SUCCESS)).to_have_text(f"Đã ghi nhận: {CELL_VOTE} — Đỗ Văn Khang")
    expect(inbox_rows(secretary, "Đỗ Văn Khang", RECONSIDER)).to_have_count(0)


def test_the_confirmation_works_without_javascript(chromium, live_server, start_case):
    _at_cell_vote(start_case, name="Vũ Thị Lành", citizen_id="008307004323")
    context = chromium.new_context(java_script_enabled=False, locale="vi-VN")
    try:
        secretary = Person(context, live_server, SECRETARY)
        secretary.sign_in()
        page = open_task(secretary, "Vũ Thị Lành", CELL_VOTE)
        tick_present(page, 9)
        fill_form(page.locator(TASK_FORM), vote(today() - timedelta(days=1), present=9, agree=6, disagree=3,
                                                 number="23-NQ/CB"))
        page.locator(TASK_FORM).get_by_test_id("submit").click()
        expect(page.get_by_test_id("confirm-consequences")).to_contain_text("6 tán thành trên 11")
        page.get_by_test_id("confirm").click()
        expect(page.locator(SUCCESS)).to_have_text(f"Đã ghi nhận: {CELL_VOTE} — Vũ Thị Lành")
    finally:
        context.close()


def test_the_case_page_links_the_open_step_and_a_second_tab_is_told_it_was_this_person(person, start_case):
    case_id = _at_cell_vote(start_case, name="Phan Văn Tài", citizen_id="008207004324")
    secretary = person(SECRETARY)
    page = secretary.go(f"/cases/{case_id}")
    link = page.get_by_test_id("open-my-step")
    expect(link).to_have_text(f"Làm bước: {CELL_VOTE}")
    link.click()
    expect(page.locator("h1")).to_have_text(CELL_VOTE)

    second = secretary.new_tab(page.url.removeprefix(secretary.base_url))
    answers = vote(today() - timedelta(days=1), present=11, agree=11, disagree=0, number="24-NQ/CB")
    for tab in (page, second):
        tick_present(tab, 11)
        fill_form(tab.locator(TASK_FORM), answers)
    page.locator(TASK_FORM).get_by_test_id("submit").click()
    expect(page.locator(SUCCESS)).to_have_text(f"Đã ghi nhận: {CELL_VOTE} — Phan Văn Tài")
    second.locator(TASK_FORM).get_by_test_id("submit").click()
    expect(second).to_have_url(f"{secretary.base_url}/cases/{case_id}")
    expect(second.locator("main .alert-info")).to_have_text(
        re.compile(r"^Bạn đã ghi nhận bước này lúc \d\d/\d\d/\d{4} \d\d:\d\d\. Dưới đây là những gì đã diễn ra\.$"))
    expect(second.locator("main")).not_to_contain_text("người khác")
    expect(second.get_by_test_id("open-my-step")).to_have_count(0)  # the vote's step is done; the next is not hers
