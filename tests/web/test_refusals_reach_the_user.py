"""A refusal the services word for the user reaches the page; anything else stays generic (issue 16).

Before: every Forbidden became the generic 403 page, so a relative asked to verify the applicant
never learnt why; a cell with no grassroots organisation above it answered "start a case" with a 500.
"""
from flask_babel import force_locale

from webapp.demo import DEMO_PASSWORD
from webapp.demo.answers import answers_for
from webapp.extensions import db
from webapp.models import ProcessInstance, Student
from webapp.pages.refusals import REFUSAL_TEXTS
from webapp.services import create_unit, create_user, grant_role

from .helpers import db_state, heading, input_value, open_task, texts

TRACE_MARKERS = ("Traceback", "File \"", "Error:", "sqlalchemy", "werkzeug", "line ")


def _message(response):
    return texts(response, "//*[@data-testid='error-message']")[0]


def test_a_relative_asked_to_verify_is_told_why_and_nothing_changes(as_user, start_case, driver, world):
    case = start_case()
    driver.run(case.id, until="record_verification")
    relative = create_user(username="cha-tham-tra", full_name="Trần Văn Cha", password=DEMO_PASSWORD)
    grant_role(relative, "verifier", world.cells["TQ-LN-THPT"])
    db.session.commit()
    task = open_task(case.id, "record_verification")
    verifier = as_user("cha-tham-tra")
    form_page = verifier.get(f"/tasks/{task.id}")
    before = db_state()
    response = verifier.post(f"/tasks/{task.id}", answers_for("record_verification", driver.local_day()) | {
        "_seen_version": input_value(form_page, "_seen_version")}, token_from=f"/tasks/{task.id}")
    assert response.status_code == 403
    assert heading(response) == "Không có quyền"
    assert "người thân của họ không được làm người thẩm tra lý lịch" in _message(response)
    assert db_state() == before
    assert open_task(case.id, "record_verification").id == task.id


def test_the_refusal_is_said_in_english_to_an_english_reader(as_user, start_case, driver, world):
    case = start_case()
    driver.run(case.id, until="record_verification")
    relative = create_user(username="cha-en", full_name="Trần Văn Cha", password=DEMO_PASSWORD)
    grant_role(relative, "verifier", world.cells["TQ-LN-THPT"])
    db.session.commit()
    task = open_task(case.id, "record_verification")
    verifier = as_user("cha-en")
    verifier.get("/lang/en")
    form_page = verifier.get(f"/tasks/{task.id}")
    response = verifier.post(f"/tasks/{task.id}", answers_for("record_verification", driver.local_day()) | {
        "_seen_version": input_value(form_page, "_seen_version")}, token_from=f"/tasks/{task.id}")
    assert response.status_code == 403
    assert "relatives may not verify" in _message(response)


def _orphan_cell_secretary():
    """A cell placed directly under nothing: no grassroots party organisation above it."""
    cell = create_unit(kind="cell", name="Chi bộ Mồ Côi", code="MO-COI")
    secretary = create_user(username="bt-mo-coi", full_name="Bí Thư Mồ Côi", password=DEMO_PASSWORD)
    grant_role(secretary, "cell_secretary", cell)
    db.session.commit()
    return cell


STUDENT = {"full_name": "Lý Thị Lạc", "date_of_birth": "2007-03-15", "sex": "F", "citizen_id": "001307099999",
           "ethnicity": "Kinh", "religion": "Không", "occupation": "pupil", "school": "Trường THPT Mồ Côi",
           "class_name": "12A1", "youth_union_member": "y"}


def test_starting_a_case_in_a_cell_without_a_grassroots_organisation_is_explained_not_a_500(as_user, world):
    _orphan_cell_secretary()
    secretary = as_user("bt-mo-coi")
    cases_before = db.session.query(ProcessInstance).count()
    response = secretary.post("/cases/new", STUDENT)
    body = response.get_data(as_text=True)
    assert response.status_code == 422, body[:800]
    assert "chưa thuộc một tổ chức cơ sở đảng nào" in _message(response)
    for marker in TRACE_MARKERS:
        assert marker not in body
    db.session.expire_all()
    assert db.session.query(ProcessInstance).count() == cases_before
    assert db.session.query(Student).filter_by(citizen_id=STUDENT["citizen_id"]).count() == 0


def test_an_uncoded_refusal_keeps_the_generic_page_and_never_its_own_words(as_user):
    """Only words we wrote for the user are shown: "administrators only" is English for the log."""
    response = as_user("tq-ln-thpt.cell_secretary").get("/admin/processes/upload")
    assert response.status_code == 403
    assert _message(response) == "Bạn không có quyền thực hiện thao tác này với vai trò đang chọn."
    assert "administrators only" not in response.get_data(as_text=True)


def test_every_refusal_code_has_english_words(app):
    """The catalogue translates each refusal (the page would otherwise show Vietnamese to an English reader)."""
    with app.test_request_context("/"), force_locale("en"):
        for code, text in REFUSAL_TEXTS.items():
            assert str(text) and not any(letter in str(text) for letter in "ăâđêôơưạảấầẩẫậắằẳẵặ"), code
