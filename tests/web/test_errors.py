"""What a user sees when something goes wrong: a friendly page in Vietnamese, never a trace, nothing changed."""
import io
import re

import pytest

import webapp.tasks.routes as task_routes
from webapp import create_app
from webapp.config import Config
from webapp.demo.answers import answers_for
from webapp.extensions import db
from webapp.models import HumanTask, ProcessInstance, RoleAssignment, User
from webapp.services.register_choices import choice_answers

from .conftest import Browser
from .helpers import (
    alerts,
    db_state,
    events,
    field_errors,
    heading,
    html,
    input_value,
    open_task,
    redirect_path,
    texts,
    tiny_pdf,
    visible_text,
)

TRACE_MARKERS = ("Traceback", "File \"", "Error:", "sqlalchemy", "werkzeug", "line ")


def assert_friendly(response, status, title, message=None):
    """An error page: the status, the Vietnamese title as heading and <title>, a message, no trace."""
    body = response.get_data(as_text=True)
    assert response.status_code == status
    assert heading(response) == title
    assert texts(response, "//title")[0].startswith(title)
    assert html(response).get("lang") == "vi"
    if message is not None:
        assert message in texts(response, "//*[@data-testid='error-message']")[0]
    for marker in TRACE_MARKERS:
        assert marker not in body, f"{marker!r} on an error page"


def colleague_of(task):
    """A second holder of the task's role in its unit (the demo has one person per role)."""
    colleague = User(username=f"colleague-{task.id}", full_name="Đồng Nghiệp Thứ Hai", password_hash="-")
    db.session.add(colleague)
    db.session.flush()
    db.session.add(RoleAssignment(user_id=colleague.id, role=task.role, unit_id=task.unit_id))
    db.session.commit()
    return colleague


@pytest.fixture()
def at_sympathiser_list(start_case, driver):
    """A Lộc Ninh case waiting for its cell secretary to add the student to the sympathiser list."""
    case = start_case("TQ-LN-THPT", full_name="Nguyễn Thị Lan")
    driver.run(case.id, until="add_to_sympathiser_list")
    return case, open_task(case.id, "add_to_sympathiser_list")


def _seen(instance_id):
    db.session.expire_all()
    return str(db.session.get(ProcessInstance, instance_id).lock_version)


# --- 404 / 403 --------------------------------------------------------------------------------------


def test_a_task_out_of_scope_is_a_friendly_404(as_user, at_sympathiser_list):
    _case, task = at_sympathiser_list
    sibling = as_user("tq-ch-thpt.cell_secretary")
    response = sibling.get(f"/tasks/{task.id}")
    assert_friendly(response, 404, "Không tìm thấy", "Không tìm thấy trang hoặc hồ sơ này trong phạm vi của bạn.")
    assert "Nguyễn Thị Lan" not in response.get_data(as_text=True)  # existence is not disclosed


def test_a_task_id_that_does_not_exist_looks_the_same_as_one_out_of_scope(as_user, at_sympathiser_list):
    _case, task = at_sympathiser_list
    sibling = as_user("tq-ch-thpt.cell_secretary")
    hidden, missing = sibling.get(f"/tasks/{task.id}"), sibling.get(f"/tasks/{task.id + 10_000}")
    assert (hidden.status_code, visible_text(hidden)) == (missing.status_code, visible_text(missing))


def test_an_unknown_address_is_a_friendly_404(browser):
    assert_friendly(browser.get("/no-such-page"), 404, "Không tìm thấy")


def test_a_task_in_scope_but_not_this_role_is_403(as_user, at_sympathiser_list):
    _case, task = at_sympathiser_list
    youth = as_user("tq-ln-thpt.youth_union")
    assert_friendly(youth.get(f"/tasks/{task.id}"), 403, "Không có quyền",
                    "Bạn không có quyền thực hiện thao tác này với vai trò đang chọn.")


# --- a task someone already completed ---------------------------------------------------------------


def test_a_completed_task_keeps_the_typing_and_sends_to_the_case_page_with_the_message(
        as_user, at_sympathiser_list, driver):
    case, task = at_sympathiser_list
    secretary = as_user("tq-ln-thpt.cell_secretary")
    form_page = secretary.get(f"/tasks/{task.id}")
    driver.complete(task, actor=colleague_of(task))  # a colleague with the same role, meanwhile

    before = db_state()
    posted = secretary.post(f"/tasks/{task.id}", answers_for("add_to_sympathiser_list", driver.local_day()) | {
        "_seen_version": input_value(form_page, "_seen_version")}, token_from="/inbox")
    # What was typed is not lost: shown back beside who recorded the step first, with the way to the case
    assert posted.status_code == 409
    assert "đã ghi nhận bước này" in texts(posted, "//*[@data-testid='too-late']")[0]
    assert texts(posted, "//*[@data-testid='typed-values']")
    assert texts(posted, f"//a[@data-testid='to-case'][@href='/cases/{case.id}']")
    assert db_state() == before

    opened = secretary.get(f"/tasks/{task.id}")
    assert redirect_path(opened) == f"/cases/{case.id}"
    case_page = secretary.get(f"/cases/{case.id}")
    assert "Bước này đã được người khác hoàn thành. Dưới đây là những gì đã diễn ra." in alerts(case_page)
    # … and the case page shows what was done
    assert texts(case_page, "//*[@data-step='add_to_sympathiser_list']/summary")


# --- an invalid form --------------------------------------------------------------------------------


def test_an_invalid_form_is_shown_again_with_each_error_under_its_field(as_user, at_sympathiser_list):
    case, task = at_sympathiser_list
    secretary = as_user("tq-ln-thpt.cell_secretary")
    long_number = "05-NQ/CB-" + "9" * 42  # 51 characters, the limit is 50
    before, events_before = db_state(), len(events())

    response = secretary.post(f"/tasks/{task.id}", {
        "sympathiser_resolution_number": long_number, "sympathiser_resolution_date": "31/02/2026",
        "helper_member": "", "_seen_version": _seen(case.id)}, token_from=f"/tasks/{task.id}")

    assert response.status_code == 422
    assert field_errors(response, "sympathiser_resolution_number") == ["Tối đa 50 ký tự (đã nhập 51)."]
    assert field_errors(response, "sympathiser_resolution_date") == ["Ngày không hợp lệ (dd/mm/yyyy)."]
    assert field_errors(response, "helper_member") == ["Trường này là bắt buộc."]
    assert "Vui lòng sửa các lỗi bên dưới." in texts(response, "//*[@data-testid='form-message']")
    # what was typed is still there
    assert input_value(response, "sympathiser_resolution_number") == long_number
    assert input_value(response, "sympathiser_resolution_date") == "31/02/2026"
    # nothing changed: no audit event, the task still open, the case at the same version
    assert db_state() == before and len(events()) == events_before
    assert open_task(case.id, "add_to_sympathiser_list").id == task.id


def _selected(response, name):
    values = html(response).xpath(f"//select[@name='{name}']/option[@selected]/@value")
    return values[0] if values else None


def test_a_valid_field_keeps_its_value_next_to_an_invalid_one(as_user, at_sympathiser_list, driver):
    case, task = at_sympathiser_list
    helper = choice_answers("add_to_sympathiser_list", db.session.get(ProcessInstance, case.id).unit_id,
                            driver.local_day())["helper_member"]
    secretary = as_user("tq-ln-thpt.cell_secretary")
    response = secretary.post(f"/tasks/{task.id}", {
        "sympathiser_resolution_number": "05-NQ/CB", "sympathiser_resolution_date": "",
        "helper_member": str(helper), "_seen_version": _seen(case.id)}, token_from=f"/tasks/{task.id}")
    assert response.status_code == 422
    assert field_errors(response, "sympathiser_resolution_date") == ["Trường này là bắt buộc."]
    assert field_errors(response, "helper_member") == []
    assert field_errors(response, "sympathiser_resolution_number") == []
    assert _selected(response, "helper_member") == str(helper)  # the member chosen from the register, kept
    assert input_value(response, "sympathiser_resolution_number") == "05-NQ/CB"


# --- a stale page -----------------------------------------------------------------------------------


@pytest.fixture()
def parallel_steps(start_case, driver):
    """A case where the secretary's "assign introducers" runs in parallel with the background checks."""
    case = start_case("TQ-LN-THPT", full_name="Hoàng Thị Mai")
    driver.run(case.id, until="assign_introducers")
    return case, open_task(case.id, "assign_introducers"), open_task(case.id, "record_verification")


def test_a_page_older_than_the_case_is_409_and_changes_nothing(as_user, parallel_steps, driver):
    case, introducers, verification = parallel_steps
    secretary, verifier = as_user("tq-ln-thpt.cell_secretary"), as_user("tq-ln-thpt.verifier")
    form_page = secretary.get(f"/tasks/{introducers.id}")
    seen = input_value(form_page, "_seen_version")

    verified = verifier.post(f"/tasks/{verification.id}", answers_for("record_verification", driver.local_day()) | {
        "_seen_version": _seen(case.id)}, token_from=f"/tasks/{verification.id}")
    assert redirect_path(verified) == "/inbox"
    assert _seen(case.id) != seen

    chosen = choice_answers("assign_introducers", db.session.get(ProcessInstance, case.id).unit_id, driver.local_day())
    answers = {k: ("y" if v is True else str(v)) for k, v in
               (answers_for("assign_introducers", driver.local_day()) | chosen).items() if v is not False}
    before, completed_before = db_state(), len(events("task_completed", case.id))
    stale = secretary.post(f"/tasks/{introducers.id}", answers | {"_seen_version": seen},
                           token_from=f"/tasks/{introducers.id}")

    assert stale.status_code == 409
    assert texts(stale, "//*[@data-testid='form-message']") == [
        "Hồ sơ vừa được người khác cập nhật. Hãy xem lại thông tin bên cạnh rồi gửi lại."]
    assert db_state() == before and len(events("task_completed", case.id)) == completed_before
    # the page is drawn again with what was typed, against the case as it is now …
    assert _selected(stale, "introducer1_member") == answers["introducer1_member"]
    assert input_value(stale, "_seen_version") == _seen(case.id)
    # … so sending it again goes through
    again = secretary.post(f"/tasks/{introducers.id}", answers | {"_seen_version": input_value(stale, "_seen_version")},
                           token_from=f"/tasks/{introducers.id}")
    assert redirect_path(again) == "/inbox"
    db.session.expire_all()
    assert db.session.get(HumanTask, introducers.id).status == "completed"


# --- CSRF, methods, sizes ---------------------------------------------------------------------------


def test_a_post_without_csrf_token_is_400_and_changes_nothing(as_user, at_sympathiser_list, driver):
    case, task = at_sympathiser_list
    secretary = as_user("tq-ln-thpt.cell_secretary")
    before = db_state()
    response = secretary._open("post", f"/tasks/{task.id}", data=answers_for(
        "add_to_sympathiser_list", driver.local_day()) | {"_seen_version": _seen(case.id)})
    assert_friendly(response, 400, "Yêu cầu không hợp lệ",
                    "Phiên làm việc đã hết hạn hoặc biểu mẫu đã cũ. Hãy tải lại trang và gửi lại.")
    assert db_state() == before


def test_a_post_with_a_token_of_another_session_is_400(app, as_user, at_sympathiser_list, driver):
    case, task = at_sympathiser_list
    secretary = as_user("tq-ln-thpt.cell_secretary")
    foreign = Browser(app.test_client()).token("/login")
    before = db_state()
    response = secretary._open("post", f"/tasks/{task.id}", data=answers_for(
        "add_to_sympathiser_list", driver.local_day()) | {"_seen_version": _seen(case.id), "csrf_token": foreign})
    assert response.status_code == 400 and db_state() == before


@pytest.mark.parametrize(("method", "url", "allowed"), [
    ("get", "/logout", "POST"),
    ("post", "/audit/integrity", "GET"),  # /inbox takes POST: its filter form
    ("delete", "/cases", "GET"),
])
def test_a_wrong_method_is_a_friendly_405_that_names_the_right_one(as_user, method, url, allowed):
    secretary = as_user("tq-ln-thpt.cell_secretary")
    response = secretary._open(method, url)
    assert_friendly(response, 405, "Thao tác không được phép", "Thao tác này không được phép ở địa chỉ này.")
    assert allowed in response.headers["Allow"]


def test_an_upload_over_11_mb_is_413_and_changes_nothing(as_user, at_sympathiser_list):
    case, _task = at_sympathiser_list
    secretary = as_user("tq-ln-thpt.cell_secretary")
    before = db_state()
    huge = tiny_pdf() + b"0" * (11 * 1024 * 1024)
    response = secretary.post(f"/cases/{case.id}/attachments", {"file": (io.BytesIO(huge), "ho-so.pdf")},
                              token_from=f"/cases/{case.id}", content_type="multipart/form-data")
    assert_friendly(response, 413, "Tệp quá lớn", "Tệp gửi lên lớn hơn giới hạn cho phép (10 MB).")
    assert db_state() == before


def test_a_json_client_gets_json_errors(as_user, at_sympathiser_list):
    _case, task = at_sympathiser_list
    sibling = as_user("tq-ch-thpt.cell_secretary")
    response = sibling.get(f"/tasks/{task.id}", headers={"Accept": "application/json"})
    assert response.status_code == 404
    assert response.get_json() == {"error": "Không tìm thấy",
                                   "message": "Không tìm thấy trang hoặc hồ sơ này trong phạm vi của bạn."}


# --- unexpected errors ------------------------------------------------------------------------------


def test_an_exception_in_a_route_is_a_friendly_500(as_user, monkeypatch):
    def broken(*_args, **_kwargs):
        raise RuntimeError("secret internals: SELECT password_hash FROM app_user")

    monkeypatch.setattr(task_routes, "inbox_rows", broken)
    secretary = as_user("tq-ln-thpt.cell_secretary")
    response = secretary.get("/inbox")
    assert_friendly(response, 500, "Lỗi hệ thống", "Đã có lỗi; sự cố đã được ghi lại. Vui lòng thử lại sau.")
    assert "secret internals" not in response.get_data(as_text=True)
    # the page still knows who is signed in (it is drawn after the failure, not instead of the site)
    assert "Bí thư chi bộ" in texts(response, "//*[@data-testid='acting']")[0]


def test_a_database_error_in_a_route_is_a_friendly_500(as_user, monkeypatch):
    """A failed flush leaves the session needing a rollback; the error page reads the database too."""
    def duplicate_user(*_args, **_kwargs):
        db.session.add(User(username="tq-ln-thpt.cell_secretary", full_name="Trùng tên", password_hash="x"))
        db.session.flush()

    monkeypatch.setattr(task_routes, "inbox_rows", duplicate_user)
    secretary = as_user("tq-ln-thpt.cell_secretary")
    response = secretary.get("/inbox")
    assert_friendly(response, 500, "Lỗi hệ thống")
    assert db.session.query(User).filter_by(full_name="Trùng tên").count() == 0
    monkeypatch.undo()
    assert secretary.get("/inbox").status_code == 200  # the next request is served normally


def test_a_route_raising_in_production_mode_shows_no_trace(app):
    """A test-only route on an app configured like production (TESTING off: errors are not propagated)."""
    config = Config({"DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"], "SECRET_KEY": "x" * 40,
                     "KETNAP_AUDIT_KEY": app.config["AUDIT_KEY"], "KETNAP_PASSWORD_HASH": "pbkdf2:sha256:1000"})
    production_like = create_app(config)
    assert not production_like.testing and not production_like.debug

    @production_like.get("/test-only/boom")
    def boom():
        raise ZeroDivisionError("the secret stack")

    response = production_like.test_client().get("/test-only/boom")
    assert_friendly(response, 500, "Lỗi hệ thống")
    assert "the secret stack" not in response.get_data(as_text=True)
    assert not re.search(r"ZeroDivision|boom\(", response.get_data(as_text=True))


def test_a_batch_step_that_does_not_exist_is_404(as_user):
    assert_friendly(as_user("tq-ln.political_center").get("/batch/decide_admission"), 404, "Không tìm thấy")
