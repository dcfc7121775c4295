"""Issue 12 over real HTTP: the case's cell secretary sends the residence comment to the residence
cell from the verification page; that cell's secretary writes it from their own inbox and reads
only whom it is about; a wrong code is refused in words and nothing moves."""
from webapp.extensions import db
from webapp.models import HumanTask, Student
from webapp.services.residence_comment import residence_step

from .helpers import texts, visible_text

CELL, RESIDENCE = "TQ-LN-THPT", "TQ-CX-THPT-1"


def test_sent_to_the_residence_cell_and_written_from_its_inbox(as_user, world, start_case, driver):
    case = start_case(CELL)
    driver.run(case.id, until="write_residence_comment")
    step = residence_step(case.id)
    secretary = as_user("tq-ln-thpt.cell_secretary")
    page = f"/cases/{case.id}/verification"
    assert texts(secretary.get(page), "//*[@data-testid='send-residence']")

    refused = secretary.post(f"{page}/residence", {"residence_unit_code": "TQ-LN"}, token_from=page)
    assert refused.status_code == 422
    assert "hãy nhập mã chi bộ đó" in " ".join(texts(refused, "//*[@data-testid='residence-error']"))
    assert db.session.get(HumanTask, step.task_id).unit_id == world.cells[CELL].id

    sent = secretary.post(f"{page}/residence", {"residence_unit_code": RESIDENCE.lower()}, token_from=page)
    assert sent.status_code == 302
    where = texts(secretary.get(page), "//*[@data-testid='residence-where']")
    assert where == [f"Đã chuyển đến {world.cells[RESIDENCE].name}, chờ chi ủy nơi cư trú nhận xét."]
    history = visible_text(secretary.get(f"/cases/{case.id}/history"))
    assert "Chuyển nhận xét đến chi bộ nơi cư trú" in history

    theirs = as_user("tq-cx-thpt-1.cell_secretary")
    assert f"/tasks/{step.task_id}" in theirs.get("/inbox").get_data(as_text=True)
    opened = theirs.get(f"/tasks/{step.task_id}")
    assert opened.status_code == 200
    words = visible_text(opened)
    assert "Nguyễn Văn An" in words and db.session.get(Student, case.student_id).citizen_id not in words
    case_page = theirs.get(f"/cases/{case.id}")  # whom it is about, none of the dossier's steps
    assert case_page.status_code == 200 and texts(case_page, "//*[@data-step]") == []
    assert theirs.get(f"/cases/{case.id}/history").status_code == 404


def test_before_the_step_a_send_is_refused_in_words(as_user, start_case, driver):
    case = start_case(CELL)
    driver.run(case.id, until="add_to_sympathiser_list")
    secretary = as_user("tq-ln-thpt.cell_secretary")
    page = f"/cases/{case.id}/verification"
    refused = secretary.post(f"{page}/residence", {"residence_unit_code": RESIDENCE}, token_from=page)
    assert refused.status_code == 422
    assert texts(refused, "//*[@data-testid='residence-error']") == [
        "Bước nhận xét nơi cư trú hiện không chờ ai: hồ sơ chưa đến bước này, hoặc bước đã xong."]
