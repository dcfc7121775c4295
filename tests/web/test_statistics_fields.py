"""Every entry path captures the statistics fields (issue 11): from the official lists, with the unit's
defaults, and a value outside the lists refused with its own message while nothing is stored."""
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import Student

from .helpers import db_state, html, redirect_path, texts

UNIVERSITY_CELL = "tq-dhtt-sp-sv"


def _student(**extra):
    return {"full_name": "Hà Thị Mỷ", "date_of_birth": "2006-02-02", "sex": "F", "citizen_id": "001306077001",
            "ethnicity": "Tày", "religion": "Phật giáo", "occupation": "pupil", "education_level": "12/12",
            "school": "Trường THPT Lộc Ninh", "class_name": "12A1", "youth_union_member": "y", **extra}


def field_errors(response, name):
    """The messages under the new case page's field `name`."""
    return texts(response, f"//*[@name='{name}']/following-sibling::div[contains(@class, 'invalid-feedback')]")


def _selected(response, name):
    return html(response).xpath(f"//select[@name='{name}']/option[@selected]/@value")


def test_the_new_case_page_starts_from_the_units_defaults(as_user):
    school = as_user("tq-ln-thpt.cell_secretary").get("/cases/new")
    assert (_selected(school, "occupation"), _selected(school, "education_level")) == (["pupil"], ["12/12"])
    assert _selected(school, "ethnicity") == ["Kinh"] and _selected(school, "religion") == ["Không"]
    assert len(html(school).xpath("//select[@name='ethnicity']/option")) == 54
    university = as_user(f"{UNIVERSITY_CELL}.cell_secretary").get("/cases/new")
    assert _selected(university, "occupation") == ["university_student"]
    assert _selected(university, "education_level") == ["Đại học"]


def test_the_new_case_page_stores_every_statistics_field(as_user):
    secretary = as_user("tq-ln-thpt.cell_secretary")
    response = secretary.post("/cases/new", _student(readmission="y", youth_union_member=""), token_from="/cases/new")
    assert response.status_code == 302
    student = db.session.execute(select(Student).where(Student.citizen_id == "001306077001")).scalar_one()
    assert (student.sex, student.ethnicity, student.religion, student.occupation, student.education_level,
            student.youth_union_member, student.readmission) == ("F", "Tày", "Phật giáo", "pupil", "12/12", False,
                                                                 True)


def test_a_value_outside_the_lists_is_refused_and_nothing_is_stored(as_user):
    secretary = as_user("tq-ln-thpt.cell_secretary")
    before = db_state()
    response = secretary.post("/cases/new", _student(ethnicity="Kinh Bắc", religion="Đạo Jedi",
                                                     education_level="Tiến sĩ khoa học"), token_from="/cases/new")
    assert response.status_code == 422
    assert field_errors(response, "ethnicity") == [
        "Dân tộc phải là một trong 54 dân tộc theo danh mục chính thức (ví dụ Kinh, Tày, Thái, H'Mông); "
        "hãy chọn trong danh sách."]
    assert field_errors(response, "religion")[0].startswith("Tôn giáo phải là “Không” hoặc một tôn giáo")
    assert field_errors(response, "education_level") == [
        "Trình độ học vấn phải chọn trong danh sách (12/12, Đại học, …)."]
    assert db_state() == before


def test_the_refusal_is_in_english_for_an_english_reader(as_user):
    secretary = as_user("tq-ln-thpt.cell_secretary")
    secretary.get("/lang/en")
    response = secretary.post("/cases/new", _student(occupation="astronaut"), token_from="/cases/new")
    assert response.status_code == 422
    assert field_errors(response, "occupation") == [
        "Choose the occupation from the list (pupil, university student, …)."]


def _nomination(day, *rows):
    form = {"nomination_number": "12-NQ/ĐTN", "nomination_date": day.isoformat()}
    for index, row in enumerate(rows):
        form |= {f"s{index}-{key}": value for key, value in row.items()}
    return form


ROWS = (
    {"full_name": "Lò Văn Páo", "date_of_birth": "2005-06-01", "sex": "M", "citizen_id": "001205000901",
     "class_name": "K60 SP Toán", "ethnicity": "H'Mông", "religion": "Tin Lành", "youth_union_member": "y"},
    {"full_name": "Hoàng Thị Nga", "date_of_birth": "2005-01-20", "sex": "F", "citizen_id": "001305000902",
     "class_name": "K60 SP Văn", "readmission": "y", "youth_union_member": "n"},
)


def test_the_batch_nomination_records_each_rows_fields_and_the_universitys_defaults(as_user, driver):
    youth = as_user(f"{UNIVERSITY_CELL}.youth_union")
    page = youth.get("/cases/nominate")
    assert _selected(page, "s0-occupation") == ["university_student"]
    assert _selected(page, "s0-education_level") == ["Đại học"]
    assert _selected(page, "s0-youth_union_member") == ["y"]
    response = youth.post("/cases/nominate", _nomination(driver.local_day(), *ROWS))
    assert redirect_path(response) == "/cases"
    students = db.session.execute(select(Student).order_by(Student.id)).scalars().all()
    assert [(s.ethnicity, s.religion, s.occupation, s.education_level, s.youth_union_member, s.readmission)
            for s in students] == [("H'Mông", "Tin Lành", "university_student", "Đại học", True, False),
                                   ("Kinh", "Không", "university_student", "Đại học", False, True)]


def test_a_batch_row_outside_the_lists_creates_no_case(as_user, driver):
    youth = as_user("tq-ln-thpt.youth_union")
    before = db_state()
    rows = (ROWS[0], dict(ROWS[1], ethnicity="Sao Hỏa"))
    response = youth.post("/cases/nominate", _nomination(driver.local_day(), *rows))
    assert response.status_code == 422
    row_errors = [texts(row, ".//div[contains(@class, 'text-danger')]") for row in html(response).xpath("//tbody/tr")]
    assert row_errors[0] == [] and row_errors[1][0].startswith("Dân tộc phải là một trong 54 dân tộc")
    assert _selected(response, "s1-youth_union_member") == ["n"]  # the row keeps what was chosen
    assert db_state() == before
