"""Issue 12 over real HTTP: the cell secretary records a verification request on the case's
verification page; the addressee's verifier finds the step in their inbox and opens it; wrong input
is refused in words and nothing changes; outsiders do not see the page."""
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import HumanTask, Student, VerificationRequest
from webapp.services.clock import VIETNAM, resolve_now
from webapp.services.verification_letters import places_to_verify

from .helpers import texts, visible_text

CELL, ELSEWHERE = "TQ-LN-THPT", "TQ-CX-THPT-1"


def _case_verifying(start_case, driver):
    case = start_case(CELL)
    driver.run(case.id, until="record_verification")
    return case, places_to_verify(case.id, driver.local_day())


def _form(world, **change):
    today = resolve_now().astimezone(VIETNAM).date()
    return {"number": "21-CV/CB", "sent_on": f"{today:%d/%m/%Y}", "persons": ["applicant", "mother"],
            "sent_by": "system", "unit_code": world.cells[ELSEWHERE].code, "addressee_name": "",
            "addressee_address": ""} | change


def test_the_secretary_sends_and_the_addressee_answers_from_their_inbox(as_user, world, start_case, driver):
    case, places = _case_verifying(start_case, driver)
    secretary = as_user("tq-ln-thpt.cell_secretary")
    page = secretary.get(f"/cases/{case.id}/verification")
    assert page.status_code == 200
    assert len(texts(page, "//*[@data-testid='send-request']")) == len(places)
    sent = secretary.post(f"/cases/{case.id}/verification/{places[0].task_id}", _form(world),
                          token_from=f"/cases/{case.id}/verification")
    assert sent.status_code == 302
    shown = texts(secretary.get(f"/cases/{case.id}/verification"), "//*[@data-testid='verification-place']")
    assert "21-CV/CB" in shown[0] and world.cells[ELSEWHERE].name in shown[0] and "mẹ" in shown[0]

    addressee = as_user("tq-cx-thpt-1.verifier")
    inbox = addressee.get("/inbox")
    assert f"/tasks/{places[0].task_id}" in inbox.get_data(as_text=True)
    opened = addressee.get(f"/tasks/{places[0].task_id}")
    assert opened.status_code == 200
    words = visible_text(opened)
    assert "Nguyễn Văn An" in words
    # The addressee reads who is asked about, not the dossier: no full identity number, no case page.
    assert db.session.get(Student, case.student_id).citizen_id not in words
    case_page = addressee.get(f"/cases/{case.id}")
    assert case_page.status_code == 200 and texts(case_page, "//*[@data-step]") == []
    assert addressee.get(f"/cases/{case.id}/history").status_code == 404


def test_wrong_input_is_said_and_nothing_is_kept(as_user, world, start_case, driver):
    case, places = _case_verifying(start_case, driver)
    secretary = as_user("tq-ln-thpt.cell_secretary")
    url, page = f"/cases/{case.id}/verification/{places[0].task_id}", f"/cases/{case.id}/verification"
    for change, words in (({"number": ""}, "Hãy ghi số công văn"),
                          ({"sent_on": "31/13/2026"}, "Ngày không hợp lệ"),
                          ({"sent_on": "01/01/2099"}, "không được sau hôm nay"),
                          ({"persons": []}, "Hãy chọn người cần thẩm tra"),
                          ({"unit_code": "KHONG-CO"}, "Không có đơn vị nào mang mã này"),
                          ({"unit_code": "", "addressee_name": "UBND xã X"}, "Hãy nhập mã đơn vị nhận"),
                          ({"addressee_name": "UBND xã X", "addressee_address": "Thôn 3"}, "Chỉ một nơi nhận")):
        refused = secretary.post(url, _form(world, **change), token_from=page)
        assert refused.status_code == 422, change
        assert words in visible_text(refused), change
    assert db.session.execute(select(VerificationRequest)).first() is None
    task = db.session.get(HumanTask, places[0].task_id)
    assert task.unit_id == world.cells[CELL].id


def test_outsiders_and_other_roles_cannot_send(as_user, world, start_case, driver):
    case, places = _case_verifying(start_case, driver)
    url = f"/cases/{case.id}/verification/{places[0].task_id}"
    outsider = as_user("tq-cx-thpt-1.cell_secretary")
    assert outsider.get(f"/cases/{case.id}/verification").status_code == 404
    assert outsider.post(url, _form(world), token_from="/inbox").status_code == 404
    board = as_user("tq-ln.org_board")
    assert board.get(f"/cases/{case.id}/verification").status_code == 200
    assert board.post(url, _form(world), token_from=f"/cases/{case.id}/verification").status_code == 403
    assert db.session.execute(select(VerificationRequest)).first() is None
