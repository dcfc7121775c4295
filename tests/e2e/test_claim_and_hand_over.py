"""Two people of the same body on the same task, in two browsers (issue 15): the claim shown to the
other, a hand-over with a note, the one who lost the race keeping what they typed, "done by me"."""
from datetime import date

import pytest
from playwright.sync_api import expect

from webapp.demo import DEMO_PASSWORD
from webapp.extensions import db
from webapp.services import create_user, grant_role

from .pages import INBOX_ROWS, SUCCESS, TASK_FORM, WARNING, fill_form, open_task
from .test_approvers import SECRETARY, started_and_driven, today

ENROL = "Cử đi học lớp bồi dưỡng nhận thức về Đảng"
DEPUTY = "tq-ln-thpt.deputy"
DEPUTY_NAME = "Phạm Thị Phó"


@pytest.fixture()
def deputy(world):
    """The cell's deputy secretary: the same role in the same unit as its secretary."""
    user = create_user(username=DEPUTY, full_name=DEPUTY_NAME, password=DEMO_PASSWORD)
    grant_role(user, "cell_secretary", world.cells["TQ-LN-THPT"])
    db.session.commit()
    return user


def _enrolment(name, citizen_id, start_case):
    return started_and_driven(start_case, "enroll_in_course", name=name, born=date(2007, 4, 11),
                              citizen_id=citizen_id)


def test_a_claim_is_shown_to_the_colleague_and_handed_over_with_a_note(person, start_case, deputy, world):
    student = "Vũ Thị Hằng"
    case_id = _enrolment(student, "008307006001", start_case)
    secretary, colleague = person(SECRETARY), person(DEPUTY)
    secretary_name = world.users[("TQ-LN-THPT", "cell_secretary")].full_name

    page = open_task(secretary, student, ENROL)
    page.get_by_test_id("claim").click()
    expect(page.locator(SUCCESS)).to_contain_text("Bạn đã nhận việc này")
    expect(page.get_by_test_id("claim-holder")).to_contain_text("Bạn đang nhận việc này")

    other = open_task(colleague, student, ENROL)  # the colleague is told before typing anything
    expect(other.get_by_test_id("claim-holder")).to_contain_text(f"Đồng chí {secretary_name} đang nhận việc này")
    expect(other.get_by_test_id("others-open")).to_contain_text(f"Đồng chí {secretary_name} cũng đang mở việc này")
    expect(other.get_by_test_id("claim")).to_have_count(0)

    page.reload()
    page.get_by_test_id("hand-over").locator("summary").click()
    page.get_by_label("Giao cho", exact=True).select_option(label=DEPUTY_NAME)
    page.get_by_label("Lời nhắn (ghi vào diễn biến hồ sơ)").fill("Chị ghi giúp tên lớp, tôi đi tập huấn.")
    page.get_by_test_id("hand-over-submit").click()
    expect(page.locator(SUCCESS)).to_have_text(f"Đã giao việc cho đồng chí {DEPUTY_NAME}.")

    inbox = colleague.go("/inbox")
    expect(inbox.locator("[data-testid=inbox] tbody tr").filter(has_text=student).get_by_test_id("holder")) \
        .to_have_text("được giao cho bạn")
    mine = open_task(colleague, student, ENROL)
    expect(mine.get_by_test_id("hand-over-note")).to_have_text("Chị ghi giúp tên lớp, tôi đi tập huấn.")
    history = secretary.go(f"/cases/{case_id}/history")
    expect(history.locator("[data-kind=task_handed_over] [data-testid=hand-over-event]")).to_have_text(
        f"Giao cho đồng chí {DEPUTY_NAME}: Chị ghi giúp tên lớp, tôi đi tập huấn.")


def test_the_colleague_who_submits_second_keeps_what_they_typed_and_done_by_me_lists_it(person, start_case, deputy):
    student = "Lý Văn Toàn"
    case_id = _enrolment(student, "008207006002", start_case)
    secretary, colleague = person(SECRETARY), person(DEPUTY)
    first, second = open_task(secretary, student, ENROL), open_task(colleague, student, ENROL)
    fill_form(second.locator(TASK_FORM), {"course_name": "Lớp khóa II/2026 (bản của phó bí thư)",
                                          "course_start_date": today()})
    fill_form(first.locator(TASK_FORM), {"course_name": "Lớp khóa II/2026", "course_start_date": today()})
    first.locator(TASK_FORM).get_by_test_id("submit").click()
    expect(first.locator(SUCCESS)).to_have_text(f"Đã ghi nhận: {ENROL} — {student}")

    second.locator(TASK_FORM).get_by_test_id("submit").click()  # a moment too late
    expect(second.get_by_test_id("too-late")).to_contain_text("đã ghi nhận bước này")
    expect(second.get_by_test_id("typed-values")).to_contain_text("Lớp khóa II/2026 (bản của phó bí thư)")
    expect(second.locator(WARNING)).to_have_count(1)

    done = secretary.go("/inbox")
    done.get_by_test_id("done-link").click()
    row = done.locator("[data-testid=done] tbody tr").first
    expect(row).to_contain_text(student)
    expect(row).to_contain_text(ENROL)
    row.get_by_role("link", name=student).click()
    expect(done).to_have_url(f"{secretary.base_url}/cases/{case_id}")


def test_a_released_task_is_free_again_and_a_saved_filter_brings_back_my_claims(person, start_case, deputy):
    mine, free = "Hồ Thị Nhận", "Hồ Văn Trả"
    for name, citizen_id in ((mine, "008307006003"), (free, "008207006004")):
        _enrolment(name, citizen_id, start_case)
    secretary, colleague = person(SECRETARY), person(DEPUTY)
    for name in (mine, free):
        page = open_task(secretary, name, ENROL)
        page.get_by_test_id("claim").click()
        expect(page.locator(SUCCESS)).to_contain_text("Bạn đã nhận việc này")
    page.get_by_test_id("release").click()  # the second one goes back to the cell
    expect(page.locator(SUCCESS)).to_have_text("Đã trả lại việc cho cả tập thể.")
    expect(open_task(colleague, free, ENROL).get_by_test_id("claim")).to_have_count(1)  # free to take
    page = secretary.go("/inbox")
    page.locator("select[name=claim]").select_option("mine")
    page.get_by_role("button", name="Lọc", exact=True).click()
    page.get_by_placeholder("Tên bộ lọc").fill("Việc của tôi")
    page.get_by_test_id("save-filter").click()
    expect(page.locator(SUCCESS)).to_have_text("Đã lưu bộ lọc «Việc của tôi».")
    page = secretary.go("/inbox")
    expect(page.locator(INBOX_ROWS)).to_have_count(2)
    page.get_by_test_id("saved-filters").get_by_role("link", name="Việc của tôi", exact=True).click()
    expect(page.locator(INBOX_ROWS)).to_have_count(1)
    expect(page.locator(INBOX_ROWS)).to_contain_text(mine)
    page.get_by_role("button", name="Xoá bộ lọc Việc của tôi").click()
    expect(page.locator(SUCCESS)).to_have_text("Đã xoá bộ lọc «Việc của tôi».")
    expect(page.get_by_test_id("saved-filters")).to_contain_text("chưa có")
