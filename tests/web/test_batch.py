"""Pages that record a step for many students in one POST: all or nothing, every case its own events."""
from datetime import date

import pytest
from sqlalchemy import func, select

from webapp.extensions import db
from webapp.models import HumanTask, ProcessInstance, Student, User
from webapp.services.register import member_for_user

from .helpers import alerts, db_state, events, html, open_task, redirect_path, texts

COURSE_STUDENTS = ("Nguyễn Thị Lan", "Trần Văn Minh", "Lê Thị Hoa")


@pytest.fixture()
def course_class(start_case, driver):
    """Three Lộc Ninh students whose course result the commune political centre must record."""
    tasks = {}
    for name in COURSE_STUDENTS:
        case = start_case("TQ-LN-THPT", full_name=name)
        driver.run(case.id, until="record_course_result")
        tasks[name] = open_task(case.id, "record_course_result")
    return tasks


@pytest.fixture()
def centre(as_user):
    return as_user("tq-ln.political_center")


def _rows(response):
    return {row.xpath("string(td[2])").strip(): row for row in html(response).xpath("//tr[@data-task]")}


def _row_errors(response, task_id):
    return texts(response, f"//tr[@data-task='{task_id}']//div[contains(@class, 'text-danger')]")


def _course_form(tasks, day, **per_row):
    form = {"all-certificate_date": day.isoformat()}
    for number, (name, task) in enumerate(tasks.items(), start=1):
        values = {"include": "1", "course_attended": "y", "attendance_percent": "90", "essay_score": "7,5",
                  "certificate_number": f"GCN-2026-{number:03d}"} | per_row.get(name, {})
        form |= {f"t{task.id}-{key}": value for key, value in values.items() if value is not None}
    return form


def test_the_course_class_page_lists_every_student_waiting(centre, course_class):
    page = centre.get("/batch/record_course_result")
    assert page.status_code == 200
    assert texts(page, "//main//h1") == ["Ghi kết quả lớp bồi dưỡng nhận thức về Đảng"]
    assert sorted(_rows(page)) == sorted(COURSE_STUDENTS)
    # every student is selected, and marked as attending, to begin with
    assert all(row.xpath(".//input[substring(@name, string-length(@name) - 7) = '-include']/@checked")
               for row in _rows(page).values())


def test_one_post_records_the_whole_class_each_case_with_its_own_event(centre, course_class, driver):
    day = driver.local_day()
    response = centre.post("/batch/record_course_result", _course_form(course_class, day, **{
        "Trần Văn Minh": {"essay_score": "9", "attendance_percent": "100"}}))
    assert redirect_path(response) == "/inbox"
    assert "Đã ghi nhận 3 hồ sơ." in alerts(centre.get("/inbox"))

    for number, (name, task) in enumerate(course_class.items(), start=1):
        [event] = events("task_completed", task.instance_id)[-1:]
        assert event.task_spec == "record_course_result" and event.payload["human_task_id"] == task.id, name
        assert event.actor_role == "political_center"
        assert event.payload["data"]["certificate_number"] == f"GCN-2026-{number:03d}"
        assert event.payload["data"]["certificate_date"] == day.isoformat()  # the common value
        assert event.payload["data"]["essay_score"] == (9.0 if name == "Trần Văn Minh" else 7.5)
        assert open_task(task.instance_id, "record_course_result") is None
        assert open_task(task.instance_id, "write_application") is not None  # the case moved on


def test_only_the_selected_rows_are_recorded(centre, course_class, driver):
    form = _course_form(course_class, driver.local_day())
    left_out = course_class["Lê Thị Hoa"]
    del form[f"t{left_out.id}-include"]
    assert redirect_path(centre.post("/batch/record_course_result", form)) == "/inbox"
    assert "Đã ghi nhận 2 hồ sơ." in alerts(centre.get("/inbox"))
    assert open_task(left_out.instance_id, "record_course_result").id == left_out.id


def test_one_invalid_row_shows_that_rows_error_and_keeps_what_was_typed(centre, course_class, driver):
    bad = course_class["Trần Văn Minh"]
    response = centre.post("/batch/record_course_result", _course_form(course_class, driver.local_day(), **{
        "Trần Văn Minh": {"essay_score": "11"}}))

    assert response.status_code == 422
    assert texts(response, "//*[@data-testid='batch-errors']") == [
        "Có dòng chưa hợp lệ; chưa hồ sơ nào được ghi. Hãy sửa rồi gửi lại."]
    assert _row_errors(response, bad.id) == ["Giá trị phải nhỏ hơn hoặc bằng 10."]
    assert "table-danger" in _rows(response)["Trần Văn Minh"].get("class")
    for name, task in course_class.items():
        if name != "Trần Văn Minh":
            assert _row_errors(response, task.id) == [], name
    # what was typed is still there, and still selected
    assert html(response).xpath(f"//input[@name='t{bad.id}-essay_score']/@value") == ["11"]
    assert html(response).xpath(f"//input[@name='t{bad.id}-include']/@checked")


@pytest.mark.parametrize("bad_row", COURSE_STUDENTS[:3])
def test_one_invalid_row_writes_nothing_for_anyone(centre, course_class, driver, bad_row):
    before, completions = db_state(), len(events("task_completed"))
    response = centre.post("/batch/record_course_result", _course_form(course_class, driver.local_day(), **{
        bad_row: {"essay_score": "11"}}))
    assert response.status_code == 422
    assert db_state() == before and len(events("task_completed")) == completions
    assert all(open_task(task.instance_id, "record_course_result") for task in course_class.values())


def test_a_student_who_failed_is_recorded_in_the_same_post_without_a_certificate(centre, course_class, driver):
    day = driver.local_day().isoformat()
    form = _course_form(course_class, driver.local_day(), **{
        "Lê Thị Hoa": {"essay_score": "3", "certificate_number": None}})
    del form["all-certificate_date"]  # a certificate date only for those who passed
    form |= {f"t{course_class[name].id}-certificate_date": day for name in ("Nguyễn Thị Lan", "Trần Văn Minh")}
    response = centre.post("/batch/record_course_result", form)
    assert redirect_path(response) == "/inbox", texts(response, "//tr[@data-task]//div")
    failed = events("task_completed", course_class["Lê Thị Hoa"].instance_id)[-1].payload["data"]
    assert failed["essay_score"] == 3.0 and failed.get("certificate_number") is None


def test_nothing_selected_is_said_and_nothing_written(centre, course_class):
    before = db_state()
    response = centre.post("/batch/record_course_result", {})
    assert response.status_code == 200
    assert "Chưa chọn học sinh nào." in alerts(response)
    assert db_state() == before


def test_rows_of_another_committee_cannot_be_slipped_into_the_form(as_user, course_class, driver):
    """The Chiêm Hóa political centre posts the Lộc Ninh rows: they are not on its page, nothing is written."""
    before = db_state()
    response = as_user("tq-ch.political_center").post(
        "/batch/record_course_result", _course_form(course_class, driver.local_day()))
    assert response.status_code == 200 and "Chưa chọn học sinh nào." in alerts(response)
    assert db_state() == before


# --- the Youth Union's batch nomination ---------------------------------------------------------------


@pytest.fixture()
def youth(as_user):
    return as_user("tq-ln-thpt.youth_union")


def _nomination(day, *rows):
    form = {"nomination_number": "12-NQ/ĐTN", "nomination_date": day.isoformat()}
    for index, row in enumerate(rows):
        form |= {f"s{index}-{key}": value for key, value in row.items()}
    return form


STUDENTS = (
    {"full_name": "Đinh Thị Ánh", "date_of_birth": "2008-06-01", "sex": "F", "citizen_id": "001308000111",
     "class_name": "11A1"},
    {"full_name": "Quách Văn Đạt", "date_of_birth": "2008-01-20", "sex": "M", "citizen_id": "001208000222",
     "class_name": "11A2"},
    {"full_name": "Lương Thị Hạnh", "date_of_birth": "2007-11-11", "sex": "F", "citizen_id": "001307000333",
     "class_name": "12A1"},
)


def _count(model):
    return db.session.execute(select(func.count()).select_from(model)).scalar()


def test_nomination_creates_several_cases_at_once(youth, driver, world):
    response = youth.post("/cases/nominate", _nomination(driver.local_day(), *STUDENTS))
    assert redirect_path(response) == "/cases"
    assert "Đã giới thiệu 3 đoàn viên ưu tú." in alerts(youth.get("/cases"))

    db.session.expire_all()
    cases = db.session.query(ProcessInstance).join(Student).order_by(ProcessInstance.id).all()
    assert [db.session.get(Student, c.student_id).full_name for c in cases] == [s["full_name"] for s in STUDENTS]
    for case in cases:
        student = db.session.get(Student, case.student_id)
        assert student.unit_id == world.cells["TQ-LN-THPT"].id and student.youth_union_member
        assert [e.kind for e in events(instance_id=case.id)] == ["case_started", "task_completed"]
        nominated = events("task_completed", case.id)[0]
        assert nominated.task_spec == "nominate_student" and nominated.actor_role == "youth_union"
        assert nominated.payload["data"]["nomination_number"] == "12-NQ/ĐTN"
        assert open_task(case.id).spec_name == "add_to_sympathiser_list"  # now with the cell secretary


def test_one_invalid_nomination_row_creates_no_case(youth, driver):
    before = db_state()
    rows = [dict(STUDENTS[0]), dict(STUDENTS[1], citizen_id="00120800022"), dict(STUDENTS[2], date_of_birth="")]
    response = youth.post("/cases/nominate", _nomination(driver.local_day(), *rows))

    assert response.status_code == 422
    assert texts(response, "//*[@data-testid='batch-errors']") == ["Có dòng chưa hợp lệ; chưa hồ sơ nào được tạo."]
    row_errors = [texts(row, ".//div[contains(@class, 'text-danger')]") for row in html(response).xpath("//tbody/tr")]
    assert row_errors[:4] == [[], ["Số CCCD gồm 12 chữ số."], ["Trường này là bắt buộc."], []]
    # the rows keep what was typed
    assert html(response).xpath("//input[@name='s1-citizen_id']/@value") == ["00120800022"]
    assert html(response).xpath("//input[@name='s0-full_name']/@value") == ["Đinh Thị Ánh"]
    assert db_state() == before and _count(Student) == 0


def test_a_nomination_date_the_step_refuses_is_shown_under_that_field(youth):
    """The shared resolution date is checked by the nomination step's form: the error goes where it was typed."""
    before = db_state()
    form = _nomination(date(2200, 1, 1), *STUDENTS[:2])
    response = youth.post("/cases/nominate", form)
    assert response.status_code == 422
    assert texts(response, "//input[@name='nomination_date']/following-sibling::div[@class='invalid-feedback']") == [
        "Ngày phải nằm trong khoảng 01/01/1900 – 31/12/2100."]
    assert db_state() == before


def test_an_empty_nomination_table_is_said(youth, driver):
    before = db_state()
    response = youth.post("/cases/nominate", _nomination(driver.local_day()))
    assert response.status_code == 200 and "Chưa nhập học sinh nào." in alerts(response)
    assert db_state() == before


def test_only_the_youth_union_nominates(as_user, driver):
    before = db_state()
    secretary = as_user("tq-ln-thpt.cell_secretary")
    response = secretary.post("/cases/nominate", _nomination(driver.local_day(), *STUDENTS), token_from="/inbox")
    assert response.status_code == 403 and db_state() == before


def test_the_ceremony_page_admits_several_candidates_in_one_post(as_user, start_case, driver):
    tasks = []
    for name in ("Vũ Văn Nam", "Hoàng Thị Mai"):
        case = start_case("TQ-LN-THPT", full_name=name)
        driver.run(case.id, until="hold_ceremony")
        tasks.append(open_task(case.id, "hold_ceremony"))
    secretary = as_user("tq-ln-thpt.cell_secretary")
    # Each candidate's helper is a member of the cell's register with an account (the secretary here).
    helper = member_for_user(db.session.execute(select(User.id).where(
        User.username == "tq-ln-thpt.cell_secretary")).scalar_one())
    form = {"all-ceremony_date": driver.local_day().isoformat()}
    form |= {f"t{task.id}-include": "1" for task in tasks}
    form |= {f"t{task.id}-probation_helper_member": str(helper.id) for task in tasks}
    page = secretary.get("/batch/hold_ceremony")
    options = html(page).xpath(f"//select[@name='t{tasks[0].id}-probation_helper_member']/option/@value")
    assert str(helper.id) in options and len(options) == 12  # the cell's 11 official members, and none
    assert redirect_path(secretary.post("/batch/hold_ceremony", form)) == "/inbox"
    for task in tasks:
        event = events("task_completed", task.instance_id)[-1]
        assert event.task_spec == "hold_ceremony" and event.payload["data"]["probation_helpers"] == helper.full_name
        db.session.expire_all()
        assert db.session.get(HumanTask, task.id).status == "completed"
