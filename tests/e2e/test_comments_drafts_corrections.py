"""A person using comments, drafts and corrections in a real browser (issue 15)."""
from datetime import date, timedelta

from playwright.sync_api import expect

from .pages import SUCCESS, TASK_FORM, expect_waiting, fill_form, inbox_rows, open_task
from .test_approvers import APPLICATION, CELL_VOTE, MEETING, SECRETARY, STANDING, started_and_driven

AUDITOR = "tq.auditor"


def test_the_secretary_saves_the_personal_history_as_a_draft_and_comes_back_to_it(person, start_case):
    student = "Trịnh Thị Nháp"
    started_and_driven(start_case, "write_application", name=student, born=date(2007, 5, 9),
                       citizen_id="008307015001")
    secretary = person(SECRETARY)

    page = open_task(secretary, student, APPLICATION)
    form = page.locator(TASK_FORM)
    form.locator("[name=relatives]").fill("Trịnh Văn Cha\nLê Thị Mẹ\nTrịnh Văn Bác (đang hỏi lại)")
    form.locator("[name=residence_place]").fill("Đảng ủy phường")  # half typed: nothing is checked yet
    page.get_by_test_id("save-draft").click()
    expect(page.locator(SUCCESS)).to_contain_text("Đã lưu nháp lúc")

    secretary.go("/inbox")  # away, and back the next morning
    page = open_task(secretary, student, APPLICATION)
    expect(page.get_by_test_id("draft-saved")).to_contain_text("Đã điền lại từ bản nháp bạn lưu lúc")
    expect(page.locator("[name=relatives]")).to_have_value("Trịnh Văn Cha\nLê Thị Mẹ\nTrịnh Văn Bác (đang hỏi lại)")
    expect(page.locator("[name=residence_place]")).to_have_value("Đảng ủy phường")
    secretary.shot("draft-refilled")


def test_a_comment_on_the_case_is_read_by_the_auditor_in_the_timeline(person, start_case):
    student = "Mai Văn Ý"
    case_id = started_and_driven(start_case, "write_application", name=student, born=date(2007, 6, 1),
                                 citizen_id="008307015002")
    secretary, auditor = person(SECRETARY), person(AUDITOR)

    page = secretary.go(f"/cases/{case_id}")
    page.get_by_label("Ý kiến về hồ sơ").fill("Chờ bản sao giấy khai sinh <b>có công chứng</b>")
    page.get_by_test_id("add-comment").click()
    expect(page.locator(SUCCESS)).to_have_text("Đã ghi ý kiến.")
    expect(page.get_by_test_id("comment")).to_contain_text("Chờ bản sao giấy khai sinh <b>có công chứng</b>")

    history = auditor.go(f"/cases/{case_id}/history")
    entry = history.locator("[data-kind=comment_added]")
    expect(entry).to_contain_text("Có ý kiến mới")
    expect(entry.get_by_test_id("timeline-comment")).to_have_text("Chờ bản sao giấy khai sinh <b>có công chứng</b>")


def test_a_comment_on_the_task_page_keeps_what_was_typed_and_is_read_in_the_timeline(person, start_case):
    student = "Đào Thị Ghi"
    case_id = started_and_driven(start_case, "write_application", name=student, born=date(2007, 8, 12),
                                 citizen_id="008307015004")
    secretary, auditor = person(SECRETARY), person(AUDITOR)
    typed = {"relatives": "Đào Văn Cha\nPhạm Thị Mẹ", "residence_place": "Đảng ủy phường Minh Xuân"}

    page = open_task(secretary, student, APPLICATION)
    form = page.locator(TASK_FORM)
    fill_form(form, typed)
    page.get_by_label("Ý kiến về bước này").fill("Lý lịch còn thiếu mục 21 <i>quá trình công tác</i>")
    page.get_by_test_id("add-comment").click()
    expect(page.locator(SUCCESS)).to_have_text("Đã ghi ý kiến.")
    expect(page.locator("h1")).to_have_text(APPLICATION)  # still on the task, the form as it was typed
    for name, value in typed.items():
        expect(form.locator(f"[name={name}]")).to_have_value(value)
    comment = page.get_by_test_id("comment")
    expect(comment.locator(".comment-body")).to_have_text("Lý lịch còn thiếu mục 21 <i>quá trình công tác</i>")
    expect(comment).to_contain_text(f"về bước {APPLICATION}")
    expect(page.get_by_label("Ý kiến về bước này")).to_have_value("")  # written once, not twice

    history = auditor.go(f"/cases/{case_id}/history")
    entry = history.locator("[data-kind=comment_added]")
    expect(entry).to_contain_text("Có ý kiến mới")
    expect(entry.get_by_test_id("timeline-comment")).to_have_text("Lý lịch còn thiếu mục 21 <i>quá trình công tác</i>")


def test_the_secretary_reopens_the_application_corrects_it_and_the_case_shows_both_versions(person, start_case):
    student = "Lương Thị Sửa"
    case_id = started_and_driven(start_case, "record_verification", name=student, born=date(2007, 7, 3),
                                 citizen_id="008307015003")
    secretary = person(SECRETARY)

    page = secretary.go(f"/cases/{case_id}")
    page.get_by_label("Mở lại bước “Viết đơn xin vào Đảng và lý lịch” để sửa — lý do (bắt buộc)") \
        .fill("Gõ nhầm đảng ủy nơi cư trú")
    page.get_by_test_id("reopen").click()
    expect(page.locator(SUCCESS)).to_contain_text("Đã mở lại bước để sửa")
    expect(page.locator("h1")).to_have_text(APPLICATION)
    expect(page.get_by_test_id("reopened-notice")).to_contain_text("Lý do: Gõ nhầm đảng ủy nơi cư trú")
    place = page.locator("[name=residence_place]")
    old = place.input_value()
    assert old  # what was submitted, to be corrected
    place.fill("Đảng ủy phường Minh Xuân")
    page.locator(TASK_FORM).get_by_test_id("submit").click()
    expect(page.locator(SUCCESS)).to_have_text(f"Đã ghi nhận: {APPLICATION} — {student}")

    page = secretary.go(f"/cases/{case_id}")
    row = page.get_by_test_id("correction").locator("tr[data-field=residence_place]")
    expect(row.get_by_test_id("before")).to_have_text(old)
    expect(row.get_by_test_id("after")).to_have_text("Đảng ủy phường Minh Xuân")
    expect(page.get_by_test_id("correction-reason")).to_have_text("Gõ nhầm đảng ủy nơi cư trú")
    secretary.shot("correction-both-versions")


def test_the_standing_committee_reopens_the_cells_meeting_date_and_the_history_keeps_both(person, start_case):
    student = "Kiều Văn Lịch"
    case_id = started_and_driven(start_case, "record_cell_vote", name=student, born=date(2007, 2, 14),
                                 citizen_id="008207015005")
    standing, secretary = person(STANDING), person(SECRETARY)
    reason = "Ngày họp ghi sai so với biên bản"

    page = standing.go(f"/cases/{case_id}")
    page.get_by_label(f"Mở lại bước “{MEETING}” để sửa — lý do (bắt buộc)").fill(reason)
    page.get_by_test_id("reopen").click()
    expect(page.locator(SUCCESS)).to_contain_text("Đã mở lại bước để sửa")
    expect(page).to_have_url(f"{standing.base_url}/cases/{case_id}")  # the level above does not do the cell's step
    expect(inbox_rows(secretary, student, CELL_VOTE)).to_have_count(0)  # the step after it is cancelled

    expect_waiting(secretary, student, MEETING)  # open again in the cell's inbox
    page = open_task(secretary, student, MEETING)
    expect(page.get_by_test_id("reopened-notice")).to_contain_text(f"Lý do: {reason}")
    meeting = page.locator("[name=meeting_date]")
    old = date.fromisoformat(meeting.input_value())  # what was submitted, to be corrected
    new = old + timedelta(days=2)
    meeting.fill(new.isoformat())
    page.locator(TASK_FORM).get_by_test_id("submit").click()
    expect(page.locator(SUCCESS)).to_have_text(f"Đã ghi nhận: {MEETING} — {student}")
    expect_waiting(secretary, student, CELL_VOTE)

    page = secretary.go(f"/cases/{case_id}")
    correction = page.get_by_test_id("correction")
    expect(correction).to_contain_text("cấp trên")
    row = correction.locator("tr[data-field=meeting_date]")
    expect(row.get_by_test_id("before")).to_have_text(old.strftime("%d/%m/%Y"))
    expect(row.get_by_test_id("after")).to_have_text(new.strftime("%d/%m/%Y"))
    expect(page.get_by_test_id("correction-reason")).to_have_text(reason)
    history = standing.go(f"/cases/{case_id}/history")
    expect(history.locator(f"[data-kind=task_completed]:has-text('{MEETING}')")).to_have_count(2)
    expect(history.locator("[data-kind=step_reopened] [data-testid=timeline-reopened]")).to_contain_text(
        f"Lý do: {reason} · cấp trên")
