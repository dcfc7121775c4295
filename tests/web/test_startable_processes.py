"""Issue 17: more than one startable process, chosen by the administrator, started from "new case".

The two-lane, 20-step SpiffArena-style diagram (tests/data/foreign/twenty_steps) is uploaded with its
20 form files in one go through the admin page, opened for the cell secretaries of one cell, started
there from the "new case" page and completed step by step over HTTP by the two lanes' role holders.
"""
import io
from pathlib import Path

import pytest
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import HumanTask, ProcessInstance, StartableProcess

from .helpers import alerts, db_state, events, html, open_task, redirect_path, texts

ROOT = Path(__file__).resolve().parents[2]
TWENTY = ROOT / "tests" / "data" / "foreign" / "twenty_steps"
CELL = "TQ-LN-THPT"
STUDENT = {"full_name": "Lò Văn Pá", "date_of_birth": "2007-05-02", "sex": "M", "citizen_id": "001207099887",
           "ethnicity": "Thái", "religion": "Không", "occupation": "pupil", "school": "Trường THPT Lộc Ninh",
           "class_name": "12A3", "youth_union_member": "y"}


def _twenty_files():
    return [(p.name, p.read_bytes()) for p in sorted(TWENTY.iterdir()) if p.suffix in (".bpmn", ".json")]


def _upload_all(admin):
    data = {"files": [(io.BytesIO(content), name) for name, content in _twenty_files()],
            "comment": "Quy trình 20 bước từ SpiffArena", "action": "deploy"}
    return admin.post("/admin/processes/upload", data, content_type="multipart/form-data")


def _open_for(admin, process_id="twenty_steps", **fields):
    data = {"enabled": "on", "roles": ["cell_secretary"], "unit_code": CELL} | fields
    return admin.post(f"/admin/processes/startable/{process_id}", data, token_from="/admin/processes/startable")


@pytest.fixture()
def deployed(as_user):
    admin = as_user("admin")
    response = _upload_all(admin)
    assert response.status_code == 302, texts(response, "//*[@data-testid='problems']/li") or alerts(response)
    return admin


def _card(response, process_id):
    return html(response).xpath(f"//form[@data-testid='startable'][@data-process='{process_id}']")


def test_the_admin_page_lists_every_top_level_process_and_admission_stays_as_it_was(deployed):
    page = deployed.get("/admin/processes/startable")
    assert page.status_code == 200
    admission, twenty = _card(page, "admission"), _card(page, "twenty_steps")
    assert admission and twenty
    assert "Được mở hồ sơ" in " ".join(admission[0].xpath(".//*[@data-testid='state']//text()"))
    assert "Không được mở hồ sơ" in " ".join(twenty[0].xpath(".//*[@data-testid='state']//text()"))
    assert admission[0].xpath(".//input[@name='roles'][@value='cell_secretary'][@checked]")
    assert not html(page).xpath("//form[@data-process='verify_place']")  # called from admission: not startable


def test_opening_a_process_is_audited_and_bad_input_changes_nothing(deployed):
    for fields, words in [({"roles": ["admin"]}, "Vai trò không hợp lệ."),
                          ({"roles": []}, "Chọn ít nhất một vai trò"),
                          ({"unit_code": "KHONG-CO"}, "Không có đơn vị với mã này."),
                          ({"unit_kinds": ["planet"]}, "Loại đơn vị không hợp lệ.")]:
        before = db_state()
        response = _open_for(deployed, **fields)
        assert response.status_code == 422 and any(words in a for a in alerts(response)), alerts(response)
        assert db_state() == before and db.session.get(StartableProcess, "twenty_steps") is None
    unknown = _open_for(deployed, process_id="no_such_process")
    assert unknown.status_code == 422 and "không có trong phiên bản đang dùng" in alerts(unknown)[0]

    assert redirect_path(_open_for(deployed)) == "/admin/processes/startable"
    [event] = events("process_startable_changed")
    assert event.payload["process_id"] == "twenty_steps" and event.payload["before"] is None
    assert event.payload["after"]["roles"] == ["cell_secretary"] and event.payload["after"]["unit_id"]
    _open_for(deployed)  # the same again: no change, no event
    assert len(events("process_startable_changed")) == 1


def test_the_twenty_step_process_uploaded_with_its_forms_runs_from_new_case_to_the_end(deployed, as_user):
    assert redirect_path(_open_for(deployed)) == "/admin/processes/startable"
    secretary = as_user("tq-ln-thpt.cell_secretary")
    new_case = secretary.get("/cases/new")
    assert new_case.status_code == 200
    options = texts(new_case, "//*[@data-testid='process-choice']//option")
    assert options == ["Kết nạp và công nhận đảng viên chính thức", "Quy trình hai mươi bước"], options

    started = secretary.post("/cases/new", STUDENT | {"process_id": "twenty_steps"})
    assert started.status_code == 302, alerts(started)
    instance_id = int(redirect_path(started).rsplit("/", 1)[1])
    case = db.session.get(ProcessInstance, instance_id)
    assert case.process_id == "twenty_steps"
    assert events("case_started", instance_id)[0].payload["process_id"] == "twenty_steps"

    introducer = as_user("tq-ln-thpt.introducer")
    for n in range(1, 21):
        task = open_task(instance_id)
        assert task.spec_name == f"step{n:02d}" and task.form_name == f"step{n:02d}"
        actor = secretary if n % 2 else introducer
        assert task.role == ("cell_secretary" if n % 2 else "introducer")
        page = actor.get(f"/tasks/{task.id}")
        assert page.status_code == 200
        if n == 1:  # Markdown subset, {{ student_name }} replaced by the plain value
            block = html(page).xpath("//*[@data-testid='instructions']")[0]
            assert block.xpath(".//strong/text()") == ["hồ sơ"] and "Lò Văn Pá" in block.text_content()
            assert block.xpath(".//ul/li/text()") == ["Đơn", "Lý lịch"]
        if n == 2:  # the <script> is text: shown, never an element
            block = html(page).xpath("//*[@data-testid='instructions']")[0]
            assert "<script>alert('x')</script>" in block.text_content() and not block.xpath(".//script")
            assert "&lt;script&gt;" in page.get_data(as_text=True)
        if n == 20:
            text = html(page).xpath("//*[@data-testid='instructions']")[0].text_content()
            assert "Lò Văn Pá (ghi chú 19)" in text
        done = actor.post(f"/tasks/{task.id}", {f"step_{n:02d}_note": f"ghi chú {n}",
                                                "_seen_version": str(_seen(page))}, token_from=f"/tasks/{task.id}")
        assert done.status_code == 302, (n, alerts(done))
    db.session.expire_all()
    case = db.session.get(ProcessInstance, instance_id)
    assert case.status == "closed" and case.finished_at is not None
    assert db.session.execute(select(HumanTask).where(HumanTask.instance_id == instance_id,
                                                      HumanTask.status == "completed")).scalars().all().__len__() == 20
    # The case page, the unit's list, the inbox and the auditor's timeline of a non-admission case.
    for user, url in [(secretary, f"/cases/{instance_id}"), (secretary, "/cases"), (introducer, "/inbox"),
                      (as_user("tq.auditor"), f"/cases/{instance_id}/history"),
                      (as_user("tq.auditor"), f"/cases/{instance_id}/diagram")]:
        assert user.get(url).status_code == 200, url


def _seen(page):
    return html(page).xpath("//input[@name='_seen_version']/@value")[0]


def test_who_may_not_start_it_is_refused_with_a_clear_message_and_nothing_is_stored(deployed, as_user):
    _open_for(deployed)
    other_cell = as_user("tq-ch-thpt.cell_secretary")  # the same role, another cell: not offered
    page = other_cell.get("/cases/new")
    assert page.status_code == 200 and not html(page).xpath("//*[@data-testid='process-choice']")
    before = db_state()
    forged = other_cell.post("/cases/new", STUDENT | {"process_id": "twenty_steps"})
    assert forged.status_code == 403
    assert any("không được mở hồ sơ theo quy trình “twenty_steps”" in a for a in alerts(forged)), alerts(forged)
    assert db_state() == before
    # A role given no process at all has no "new case" page.
    assert as_user("tq-ln-thpt.introducer").get("/cases/new").status_code == 403
    # Closed again: gone from the page, and a POST of it refused.
    _open_for(deployed, enabled="")
    secretary = as_user("tq-ln-thpt.cell_secretary")
    assert not html(secretary.get("/cases/new")).xpath("//*[@data-testid='process-choice']")
    assert secretary.post("/cases/new", STUDENT | {"process_id": "twenty_steps"}).status_code == 403
    after = db_state()
    assert (after["cases"], after["students"], after["events"]) == (0, 0, before["events"] + 1)  # the closing only


def test_unit_kinds_limit_where_a_process_starts(deployed, as_user):
    _open_for(deployed, unit_code="", unit_kinds=["cell"])  # only cells under a grassroots committee
    assert not html(as_user("tq-ln-thpt.cell_secretary").get("/cases/new")).xpath(
        "//*[@data-testid='process-choice']")  # TQ-LN-THPT is a grassroots cell
    page = as_user("tq-cx-thpt-1.cell_secretary").get("/cases/new")
    assert texts(page, "//*[@data-testid='process-choice']//option")[1:] == ["Quy trình hai mươi bước"]


def test_admission_closed_by_the_administrator_is_no_longer_started(deployed, as_user):
    deployed.post("/admin/processes/startable/admission", {"roles": ["cell_secretary", "youth_union"]},
                  token_from="/admin/processes/startable")
    secretary = as_user("tq-ln-thpt.cell_secretary")
    assert secretary.get("/cases/new").status_code == 403
    # The nomination page starts admission too: refused by the same rule.
    nominate = as_user("tq-ln-thpt.youth_union").post("/cases/nominate", {
        "nomination_number": "1-NQ", "nomination_date": "2026-01-05", "s0-full_name": "Hà Thị Lụa",
        "s0-date_of_birth": "2007-01-01", "s0-sex": "F", "s0-citizen_id": "001307011111", "s0-class_name": "12A"})
    assert nominate.status_code == 403


def test_a_role_given_another_process_finds_new_case_in_its_menu(deployed, as_user):
    introducer = as_user("tq-ln-thpt.introducer")
    assert not html(introducer.get("/inbox")).xpath("//*[@data-testid='nav-new-case']")
    _open_for(deployed, roles=["introducer"])
    menu = html(introducer.get("/inbox")).xpath("//*[@data-testid='nav-new-case']")
    assert menu and menu[0].get("href") == "/cases/new"
    page = introducer.get("/cases/new")  # one process only: no choice shown, it is the one started
    assert page.status_code == 200 and not html(page).xpath("//*[@data-testid='process-choice']")
    assert html(page).xpath("//input[@name='process_id']/@value") == ["twenty_steps"]
    # The Youth Union, which starts admission through its nomination page, gets no extra link.
    assert not html(as_user("tq-ln-thpt.youth_union").get("/inbox")).xpath("//*[@data-testid='nav-new-case']")
