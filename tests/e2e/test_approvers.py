"""Approvers work their cases in the browser: every role from its inbox to its task page and back.

The pages are read as people read them (messages, table rows, badges, the vote preview), never the
database. The test itself fires the probation timer, as the timer worker would; cases that only need
to be somewhere in the procedure before the part under test are driven there through the services.
"""
import re
from datetime import UTC, date, datetime, timedelta

from playwright.sync_api import expect
from sqlalchemy import select

from webapp.demo import CaseDriver
from webapp.extensions import db
from webapp.models import MemberAbsence, OrgUnit, PartyMember, ProcessInstance, User
from webapp.pages.formatting import VIETNAM
from webapp.services.register import members_for_choice

from .pages import (
    SUCCESS,
    do_step,
    expect_vote_preview,
    expect_waiting,
    fill_form,
    inbox_rows,
    open_task,
    submit_task,
)

CELL = "tq-ln-thpt"  # Chi bộ Trường THPT Lộc Ninh: a grassroots cell, 2025 rules, 11 official members
COMMUNE = "tq-ln"  # Đảng ủy xã Lộc Ninh decides
SECRETARY, YOUTH_UNION, VERIFIER = f"{CELL}.cell_secretary", f"{CELL}.youth_union", f"{CELL}.verifier"
INTRODUCER, RESIDENCE = f"{CELL}.introducer", f"{CELL}.residence_cell"
CENTRE, ORG_BOARD, STANDING = f"{COMMUNE}.political_center", f"{COMMUNE}.org_board", f"{COMMUNE}.standing_committee"

NOMINATE = "Giới thiệu đoàn viên ưu tú"
SYMPATHISER = "Đưa vào danh sách cảm tình Đảng, phân công đảng viên giúp đỡ"
ENROL = "Cử đi học lớp bồi dưỡng nhận thức về Đảng"
COURSE_RESULT = "Ghi kết quả lớp bồi dưỡng nhận thức về Đảng"
APPLICATION = "Viết đơn xin vào Đảng và lý lịch"
VERIFICATION = "Ghi kết quả thẩm tra lý lịch"
HISTORY_COMMENT = "Chi ủy nhận xét lý lịch (mục 25, 2-KNĐ)"
HISTORY_CERTIFIED = "Chi ủy chi bộ cơ sở chứng nhận lý lịch (mục 26, 2-KNĐ)"
INTRODUCERS = "Phân công người giới thiệu"
YU_RESOLUTION = "Nghị quyết giới thiệu của BCH Đoàn (4-KNĐ)"
LETTERS = "Viết giấy giới thiệu (3-KNĐ)"
RESIDENCE_COMMENT = "Nhận xét của chi ủy nơi cư trú"
SUMMARY = "Tổng hợp nhận xét của đoàn thể (5-KNĐ)"
MEETING = "Lên lịch họp chi bộ xét kết nạp"
CELL_VOTE = "Ghi kết quả biểu quyết của chi bộ"
RECONSIDER = "Chi bộ biểu quyết không đạt: tiếp tục giúp đỡ hay dừng"
APPRAISAL = "Ban Tổ chức thẩm định hồ sơ"
DECISION = "Ban Thường vụ quyết định kết nạp (9-KNĐ)"
REJECTION_NOTICE = "Chi bộ nhận thông báo không kết nạp"
CEREMONY = "Tổ chức lễ kết nạp, phân công đảng viên giúp đỡ"
MEMBER_FILE = "Lập lý lịch đảng viên và phiếu đảng viên"
SELF_REVIEW = "Bản tự kiểm điểm của đảng viên dự bị (10-KNĐ)"
HELPER_COMMENT = "Nhận xét của đảng viên giúp đỡ (11-KNĐ)"
RECOGNITION = "Ban Thường vụ quyết định công nhận đảng viên chính thức"

PASSES, FAILS = "✔ đạt", "✘ không đạt"
HOMETOWN, RESIDENCE_PLACE = "Đảng ủy xã Kim Bình", "Đảng ủy phường Minh Xuân"


def today():
    return datetime.now(VIETNAM).date()


def a_year_after(day):
    """The same day a year later (29 February → 28 February): when 12 months of probation end."""
    try:
        return day.replace(year=day.year + 1)
    except ValueError:
        return day.replace(year=day.year + 1, day=28)


def vote(day, *, members=11, attached=0, present, agree, disagree, number):
    return {"vote_date": day, "official_members": members, "temporarily_attached": attached, "exempt_absent": 0,
            "present": present, "agree": agree, "disagree": disagree, "resolution_number": number,
            "resolution_date": day}


def member_of(username):
    """The member register entry of a demo account (webapp/demo/registers.py)."""
    return db.session.execute(select(PartyMember).join(User, User.id == PartyMember.user_id)
                              .where(User.username == username)).scalar_one()


def tick_present(page, count):
    """Tick the first `count` members the register lets be counted as present (issue 10)."""
    boxes = page.locator("[name=present_members]:not([disabled])")
    for index in range(count):
        boxes.nth(index).check()


def attach_elsewhere(count, day):
    """`count` official members of the Lộc Ninh cell temporarily attached elsewhere from `day` on."""
    cell = db.session.execute(select(OrgUnit).where(OrgUnit.code == "TQ-LN-THPT")).scalar_one()
    for entry in members_for_choice(cell.id, day)[-count:]:
        db.session.add(MemberAbsence(membership_id=entry.membership_id, kind="attached", starts_on=day,
                                     detail="Đi học tập trung"))
    db.session.commit()


def case_page(person, case_id):
    return person.go(f"/cases/{case_id}")


def add_student(secretary, name, born, citizen_id):
    """The cell secretary puts a student on the list (/cases/new); returns the case id from the case page."""
    page = secretary.go("/inbox")
    page.get_by_role("link", name="Thêm quần chúng").click()
    form = page.get_by_test_id("student-form")
    expect(form.locator("[name=school]")).to_have_value("Trường THPT Lộc Ninh")  # the school, not its cell
    fill_form(form, {"full_name": name, "date_of_birth": born, "sex": "F", "citizen_id": citizen_id,
                     "occupation": "pupil", "class_name": "12A2", "youth_union_member": True})
    form.get_by_role("button", name="Thêm và mở hồ sơ").click()
    expect(page.locator(SUCCESS)).to_have_text(f"Đã đưa {name} vào danh sách và mở hồ sơ.")
    expect(page.get_by_test_id("case-status")).to_have_text("Đang xét")
    expect(page.get_by_test_id("open-steps")).to_contain_text(f"{NOMINATE} — Đoàn Thanh niên")
    return int(page.url.rstrip("/").rsplit("/", 1)[1])


def batch_from_inbox(person, student, step, path):
    """The inbox offers the batch page for this step; the batch page has a row for the student."""
    page = person.go("/inbox")
    expect(inbox_rows(person, student, step)).to_have_count(1)
    page.get_by_role("link", name=f"Nhập theo lớp / theo đợt: {step}", exact=True).click()  # one button per step
    expect(page).to_have_url(person.base_url + path)
    expect(page.locator("h1")).to_have_text(step)
    row = page.get_by_test_id("batch-form").locator("tr[data-task]").filter(has_text=student)
    expect(row).to_have_count(1)
    expect(row.locator("input[name$=-include]")).to_be_checked()
    return page, row, f"t{row.get_attribute('data-task')}-"


def test_one_student_from_nomination_to_recognition(person, start_case):
    # Far enough back that the recognition, a year after the ceremony, is dated before today.
    student, start = "Trần Thu Hà", today() - timedelta(days=500)

    def day(offset):
        return start + timedelta(days=offset)

    secretary = person(SECRETARY, sign_in=False)
    page = secretary.go("/login")
    expect(page.locator("h1")).to_have_text("Đăng nhập")
    secretary.shot("login")
    secretary.sign_in_through_the_form()
    expect(page.get_by_test_id("acting")).to_contain_text("Bí thư chi bộ — Chi bộ Trường THPT Lộc Ninh")
    expect(page.get_by_test_id("inbox-empty")).to_have_text("Không có việc nào cần xử lý.")
    case_id = add_student(secretary, student, date(2007, 5, 20), "008307001234")

    do_step(person(YOUTH_UNION), student, NOMINATE, {
        "nomination_number": "12-NQ/ĐTN", "nomination_date": day(0), "youth_union_member": True,
        "achievements": "Học sinh giỏi 3 năm liền, Bí thư chi đoàn lớp 12A2"})
    do_step(secretary, student, SYMPATHISER, {
        "sympathiser_resolution_number": "05-NQ/CB", "sympathiser_resolution_date": day(5),
        "helper_member": member_of(INTRODUCER).id})
    secretary.go("/inbox")
    secretary.shot("inbox")
    do_step(secretary, student, ENROL, {
        "course_name": "Lớp bồi dưỡng nhận thức về Đảng khóa 3/2026", "course_start_date": day(10)})

    # The political centre records the class's results on the batch page; a classmate from the same
    # course, whose essay is not marked yet, is left unticked and stays in the centre's inbox.
    classmate = "Đỗ Văn Nam"
    started_and_driven(start_case, "record_course_result", name=classmate, born=date(2007, 12, 1),
                       citizen_id="008207005555", days_ago=95)
    centre = person(CENTRE)
    page, row, prefix = batch_from_inbox(centre, student, COURSE_RESULT, "/batch/record_course_result")
    expect(page.locator("tr[data-task]")).to_have_count(2)
    expect(row.locator(f"[name={prefix}course_attended]")).to_be_checked()
    fill_form(row, {f"{prefix}attendance_percent": 95, f"{prefix}essay_score": "8.5",
                    f"{prefix}certificate_number": "GCN-2026-031", f"{prefix}certificate_date": day(25)})
    page.locator("tr[data-task]").filter(has_text=classmate).locator("input[name$=-include]").uncheck()
    centre.shot("batch-course")
    page.get_by_test_id("submit").click()
    expect(page.locator(SUCCESS)).to_have_text("Đã ghi nhận 1 hồ sơ.")
    expect_waiting(centre, classmate, COURSE_RESULT)
    expect(inbox_rows(centre, student, COURSE_RESULT)).to_have_count(0)

    # The student has no account: the secretary enters the signed application and history.
    do_step(secretary, student, APPLICATION, {
        "application_date": day(30), "history_date": day(30), "family_has_party_member": False,
        "relatives": "Trần Văn Hùng\nNguyễn Thị Lan", "hometown_place": HOMETOWN,
        "residence_place": RESIDENCE_PLACE})

    # One verification per place, in parallel: two rows in the verifier's inbox, each showing its place.
    verifier = person(VERIFIER)
    places = []
    for count, offset in ((2, 40), (1, 42)):
        page = open_task(verifier, student, VERIFICATION, count=count)
        places.append(page.locator("[data-testid^=shown-]").inner_text())
        submit_task(page, student, VERIFICATION, {
            "verifier_name": "Phạm Thẩm Tra", "verification_document_number": f"{20 + count}-CV/ĐU",
            "verification_date": day(offset), "verification_finding": "clear"})
    assert sorted(places) == sorted([HOMETOWN, RESIDENCE_PLACE])
    # Items 25-26: the cell comments on the history beside the answers; a grassroots cell certifies it itself.
    do_step(secretary, student, HISTORY_COMMENT, {
        "history_comment_date": day(43), "history_comment": "Lý lịch khai đúng, khớp kết quả thẩm tra."})
    do_step(secretary, student, HISTORY_CERTIFIED, {
        "history_certification": "eligible", "history_certification_date": day(44)})

    do_step(secretary, student, INTRODUCERS, {
        "introduction_mode": "youth_union_and_member", "introducer1_member": member_of(INTRODUCER).id})
    youth = person(YOUTH_UNION)
    do_step(youth, student, YU_RESOLUTION, {
        "youth_union_resolution_number": "07-NQ/ĐTN", "youth_union_resolution_date": day(46)})
    do_step(person(INTRODUCER), student, LETTERS, {
        "introduction_letter_date": day(50), "introduction_comment": "Có lập trường tư tưởng vững vàng."})
    # The two comments are asked for at the same time.
    expect_waiting(youth, student, SUMMARY)
    do_step(person(RESIDENCE), student, RESIDENCE_COMMENT, {
        "residence_comment_date": day(52), "residence_comment": "Chấp hành tốt nơi cư trú."})
    do_step(youth, student, SUMMARY, {
        "organisation_comments_date": day(53), "organisation_comments": "Đoàn trường và lớp 12A2 nhất trí."})

    meeting = day(60)  # the student is 19: of age by month
    do_step(secretary, student, MEETING, {"meeting_date": meeting})
    page = open_task(secretary, student, CELL_VOTE)
    expect(page.locator("[data-testid=presence] [name=present_members]")).to_have_count(11)  # the register
    tick_present(page, 10)  # the number present is counted from who is ticked, not typed
    fill_form(page.locator("[data-testid=task-form]"), vote(meeting, present=10, agree=10, disagree=0,
                                                            number="15-NQ/CB"))
    expect_vote_preview(page, counted=11, threshold=8, verdict=PASSES)
    secretary.shot("vote-preview")
    submit_task(page, student, CELL_VOTE, {})

    do_step(person(ORG_BOARD), student, APPRAISAL, {
        "appraisal_number": "45-TĐ/BTC", "appraisal_date": day(70), "appraisal_opinion": "recommend_admit",
        "request_extension": False})
    standing = person(STANDING)
    page = open_task(standing, student, DECISION)
    expect(page.get_by_test_id("dossier").locator("details[data-step]")).to_have_count(17)
    standing.shot("task-with-dossier")
    decision_day = day(80)
    submit_task(page, student, DECISION, {
        "decision": "admit", "decision_members": 9, "decision_agree": 8, "decision_number": "123-QĐ/ĐU",
        "decision_date": decision_day})

    ceremony = decision_day + timedelta(days=10)
    page, row, prefix = batch_from_inbox(secretary, student, CEREMONY, "/batch/hold_ceremony")
    fill_form(page, {f"{prefix}probation_helper_member": member_of(INTRODUCER).id, f"{prefix}ceremony_date": ceremony})
    page.get_by_test_id("submit").click()
    expect(page.locator(SUCCESS)).to_have_text("Đã ghi nhận 1 hồ sơ.")

    # The case began 500 days ago, so the twelve months of probation ended before today and the timer
    # fires as the ceremony is recorded (no act may be dated after today, so the self-review, the
    # votes and the recognition need a probation that is over; the waiting itself is driven with the
    # injectable clock in tests/services).
    probation_end = a_year_after(ceremony)
    page = case_page(secretary, case_id)
    expect(page.get_by_test_id("case-status")).to_have_text("Đảng viên dự bị")
    expect(page.get_by_test_id("dossier")).to_contain_text("Bản tự kiểm điểm của đảng viên dự bị")
    assert db.session.get(ProcessInstance, case_id).next_timer_at is None

    do_step(secretary, student, MEMBER_FILE, {  # step 13, within 30 working days of the ceremony
        "member_history_date": ceremony + timedelta(days=7), "member_card_record_date": ceremony + timedelta(days=7)})
    do_step(secretary, student, SELF_REVIEW, {
        "self_review_date": probation_end + timedelta(days=3), "new_member_certificate_number": "ĐVM-2027-010",
        "self_review": "Hoàn thành tốt nhiệm vụ học tập và công tác Đoàn."})
    do_step(person(INTRODUCER), student, HELPER_COMMENT, {
        "helper_comment_date": probation_end + timedelta(days=5),
        "helper_comment": "Đủ tư cách đảng viên chính thức."})
    recognition_vote = probation_end + timedelta(days=10)
    page = open_task(secretary, student, CELL_VOTE)
    tick_present(page, 11)
    fill_form(page.locator("[data-testid=task-form]"), vote(recognition_vote, present=11, agree=11, disagree=0,
                                                            number="31-NQ/CB"))
    expect_vote_preview(page, counted=11, threshold=8, verdict=PASSES)
    submit_task(page, student, CELL_VOTE, {})
    do_step(standing, student, RECOGNITION, {
        "recognition_decision": "recognise", "recognition_members": 9, "recognition_agree": 9,
        "recognition_decision_number": "201-QĐ/ĐU", "recognition_decision_date": recognition_vote + timedelta(days=15)})

    page = case_page(secretary, case_id)
    expect(page.get_by_test_id("case-status")).to_have_text("Đảng viên chính thức")
    expect(page.get_by_test_id("open-steps")).to_have_count(0)
    expect(page.get_by_test_id("dossier").locator("details[data-step]")).to_have_count(24)
    expect(page.locator("details[data-step=decide_recognition]")).to_contain_text("201-QĐ/ĐU")
    secretary.shot("case")
    expect(inbox_rows(secretary, student, CELL_VOTE)).to_have_count(0)


def started_and_driven(start_case, until, *, name, born, citizen_id, days_ago=40):
    """A case started and driven through the services (with plausible answers) up to the step `until`."""
    driver = CaseDriver(datetime.now(UTC) - timedelta(days=days_ago))
    case = start_case("TQ-LN-THPT", now=driver.now, full_name=name, date_of_birth=born, sex="F",
                      citizen_id=citizen_id)
    driver.run(case.id, until=until)
    return case.id


def test_a_failed_cell_vote_then_reconsidered_and_rejected(person, start_case):
    student = "Lê Thị Bình"
    case_id = started_and_driven(start_case, "plan_cell_meeting", name=student, born=date(2007, 9, 2),
                                 citizen_id="008307005678")
    secretary = person(SECRETARY)
    first_meeting = today() - timedelta(days=12)
    do_step(secretary, student, MEETING, {"meeting_date": first_meeting})

    # 11 official members, 2 of them attached elsewhere (the register says so): 9 counted, 6 needed, 5 agree.
    attach_elsewhere(2, first_meeting - timedelta(days=30))
    page = open_task(secretary, student, CELL_VOTE)
    tick_present(page, 9)
    fill_form(page.locator("[data-testid=task-form]"), vote(
        first_meeting, attached=2, present=9, agree=5, disagree=4, number="16-NQ/CB"))
    expect_vote_preview(page, counted=9, threshold=6, verdict=FAILS)
    page.get_by_test_id("submit").click()  # a failing vote is recorded once confirmed (issue 15)
    expect(page.get_by_test_id("confirm-consequences")).to_contain_text("không đạt 2/3: 5 tán thành trên 9")
    submit_task(page, student, CELL_VOTE, {}, button="confirm")

    do_step(secretary, student, RECONSIDER, {
        "reconsider_decision": "reconsider", "reconsider_reason": "Tiếp tục bồi dưỡng, xét lại sau một tháng."})
    second_meeting = today() - timedelta(days=5)
    do_step(secretary, student, MEETING, {"meeting_date": second_meeting})
    page = open_task(secretary, student, CELL_VOTE)
    tick_present(page, 9)
    fill_form(page.locator("[data-testid=task-form]"), vote(
        second_meeting, attached=2, present=9, agree=8, disagree=1, number="18-NQ/CB"))
    expect_vote_preview(page, counted=9, threshold=6, verdict=PASSES)
    submit_task(page, student, CELL_VOTE, {})

    do_step(person(ORG_BOARD), student, APPRAISAL, {
        "appraisal_number": "46-TĐ/BTC", "appraisal_date": today() - timedelta(days=2),
        "appraisal_opinion": "recommend_reject"})
    reason = "Chưa đủ thời gian thử thách sau lần biểu quyết không đạt; chi bộ tiếp tục bồi dưỡng."
    page = open_task(person(STANDING), student, DECISION)
    fill_form(page.locator("[data-testid=task-form]"), {
        "decision": "reject", "decision_members": 9, "decision_agree": 3, "decision_number": "130-QĐ/ĐU",
        "decision_date": today(), "decision_reason": reason})
    page.get_by_test_id("submit").click()
    expect(page.get_by_test_id("confirm-consequences")).to_have_text(
        re.compile("Quyết định không kết nạp sẽ kết thúc hồ sơ."))
    submit_task(page, student, DECISION, {}, button="confirm")

    expect_waiting(secretary, student, REJECTION_NOTICE)
    page = case_page(secretary, case_id)
    expect(page.get_by_test_id("case-status")).to_have_text("Không kết nạp")
    dossier = page.get_by_test_id("dossier")
    expect(dossier.locator("details[data-step=record_cell_vote]")).to_have_count(2)
    expect(dossier.locator("details[data-step=reconsider_after_failed_vote]")).to_have_count(1)
    decision = dossier.locator("details[data-step=decide_admission]")
    expect(decision).to_contain_text("Không kết nạp")
    expect(decision).to_contain_text(reason)


def test_double_submit_from_two_tabs(person, start_case):
    student = "Nguyễn Văn An"
    case = start_case("TQ-LN-THPT")
    youth = person(YOUTH_UNION)
    first = open_task(youth, student, NOMINATE)
    second = youth.new_tab(first.url.removeprefix(youth.base_url))
    answers = {"nomination_number": "12-NQ/ĐTN", "nomination_date": today(), "youth_union_member": True}
    for tab in (first, second):
        fill_form(tab.locator("[data-testid=task-form]"), answers)

    first.get_by_test_id("submit").click()
    expect(first.locator(SUCCESS)).to_have_text(f"Đã ghi nhận: {NOMINATE} — {student}")
    second.get_by_test_id("submit").click()
    expect(second).to_have_url(f"{youth.base_url}/cases/{case.id}")
    expect(second.locator("main .alert-info")).to_have_text(  # the same person: not "someone else" (issue 15)
        re.compile(r"^Bạn đã ghi nhận bước này lúc \d\d/\d\d/\d{4} \d\d:\d\d\. Dưới đây là những gì đã diễn ra\.$"))
    expect(second.locator("details[data-step=nominate_student]")).to_have_count(1)

    secretary = person(SECRETARY)
    expect_waiting(secretary, student, SYMPATHISER)
    expect(secretary.page.get_by_test_id("inbox-total")).to_have_text("1")
    expect(inbox_rows(youth, student, NOMINATE)).to_have_count(0)


def test_invalid_form_shows_every_error_and_changes_nothing(person, start_case):
    student = "Phạm Minh Đức"
    started_and_driven(start_case, "record_cell_vote", name=student, born=date(2007, 1, 10),
                       citizen_id="008207009876")
    secretary = person(SECRETARY)
    page = open_task(secretary, student, CELL_VOTE)
    meeting = today() - timedelta(days=3)
    values = vote(meeting, present=7, agree=5, disagree=3, number="")
    tick_present(page, 7)
    fill_form(page.locator("[data-testid=task-form]"), values)
    page.get_by_test_id("submit").click()

    expect(page.get_by_test_id("form-message")).to_have_text("Vui lòng sửa các lỗi bên dưới.")
    expect(page.locator("[data-field=agree] .invalid-feedback")).to_have_text(
        "Số đồng ý và không đồng ý (5 + 3 = 8) lớn hơn số có mặt (7).")
    expect(page.locator("[data-field=agree] .invalid-feedback")).to_be_visible()
    expect(page.locator("[data-field=resolution_number] .invalid-feedback")).to_be_visible()
    expect(page.locator(".invalid-feedback:visible")).to_have_count(2)
    for name, value in values.items():
        shown = value.isoformat() if isinstance(value, date) else str(value)
        expect(page.locator(f"[name={name}]")).to_have_value(shown)
    expect_vote_preview(page, counted=11, threshold=8, verdict=FAILS)

    expect_waiting(secretary, student, CELL_VOTE)
    page.get_by_role("link", name=student).click()
    expect(page.get_by_test_id("dossier").locator("details[data-step=record_cell_vote]")).to_have_count(0)
