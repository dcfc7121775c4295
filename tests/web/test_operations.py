"""The administrators' operations view (issue 15): failed cases with the reason in words, and a retry
that only administrators may ask for, that is audited, and that a double click or a forged form
cannot make run twice or blind.

Two real failures: a timer whose step cannot place its next task (the case's cell was moved out of
the tree: the worker records `timer_failed`), and a step whose diagram code fails when the cell
secretary sends it (recorded now as `step_failed`, the person's step still open).
"""
from datetime import date, timedelta
from pathlib import Path

import sqlalchemy as sa

from webapp.extensions import db
from webapp.models import ProcessInstance, RoleAssignment, User
from webapp.services import create_unit, files_from_directories, run_due_timers
from webapp.services.deployments import migrate_cases
from webapp.services.register_choices import choice_answers
from webapp.services.versions import store_version

from .helpers import alerts, db_state, events, html, open_task, texts

ROOT = Path(__file__).resolve().parents[2]
ANCHOR = b"# Counters and flags the later gateways read; set once so every path finds them."
MINOR = (2008, 6, 15)  # of age in June 2026: the case waits on the majority timer (tests/services/test_timer_worker.py)


def _case(instance_id):
    db.session.expire_all()
    return db.session.get(ProcessInstance, instance_id)


def _failed_timer(start_case, driver):
    """A case whose timer's step failed: its cell was moved out of the tree before the timer fell due."""
    case = start_case(date_of_birth=date(*MINOR))
    driver.run(case.id, until="timer")
    waiting = _case(case.id)
    home = waiting.unit_id
    orphan = create_unit(kind="cell", name="Chi bộ Lạc Chỗ", code="LAC-CHO")
    db.session.execute(sa.update(ProcessInstance).where(ProcessInstance.id == case.id).values(unit_id=orphan.id))
    db.session.commit()
    due = waiting.next_timer_at + timedelta(minutes=1)
    assert run_due_timers(now=due) == {}
    assert _case(case.id).status == "failed"
    return case, home


def _rows(page):
    rows = html(page).xpath("//table[@data-testid='failed-cases']/tbody/tr")
    return {int(row.get("data-instance")): row for row in rows}


def _retry(admin, instance_id, failure):
    return admin.post(f"/admin/operations/{instance_id}/retry", {"failure": str(failure)},
                      token_from="/admin/operations")


def test_a_failed_timer_is_listed_retried_in_vain_then_retried_once_fixed_and_a_second_click_does_nothing(
        as_user, start_case, driver):
    case, home = _failed_timer(start_case, driver)
    admin = as_user("admin")
    page = admin.get("/admin/operations")
    assert page.status_code == 200
    row = _rows(page)[case.id]
    [failure] = events("timer_failed", case.id)
    assert row.get("data-kind") == "timer_failed" and row.get("data-failure") == str(failure.id)
    reason = texts(row, ".//*[@data-testid='reason']")[0]
    assert "UnitTreeError" in reason and "dữ liệu hồ sơ không bị thay đổi" in reason
    assert "Nguyễn Văn An" in texts(row, "./td[1]")[0]

    # Retried before the cause is fixed: it fails again, says why, and the new failure replaces the old.
    again = _retry(admin, case.id, failure.id)
    assert again.status_code == 302 and again.headers["Location"].endswith("/admin/operations")
    shown = alerts(admin.get("/admin/operations"))
    assert any(text.startswith(f"Chạy lại hồ sơ #{case.id} vẫn lỗi") for text in shown)
    newer = events("timer_failed", case.id)[-1]
    assert newer.id != failure.id and newer.payload["retry_of"] == failure.id and newer.actor_role == "admin"
    assert _case(case.id).status == "failed"

    # The form of the older failure is stale now: refused, nothing changes.
    before = db_state()
    stale = _retry(admin, case.id, failure.id)
    assert stale.status_code == 302 and db_state() == before
    assert any("có lỗi mới hơn" in text for text in alerts(admin.get("/admin/operations")))

    # The cause is fixed (the cell is back in the tree): the retry fires the timer, the next step opens.
    db.session.execute(sa.update(ProcessInstance).where(ProcessInstance.id == case.id).values(unit_id=home))
    db.session.commit()
    done = _retry(admin, case.id, newer.id)
    assert done.status_code == 302
    assert any(text.startswith(f"Đã chạy lại hồ sơ #{case.id}") for text in alerts(admin.get("/admin/operations")))
    assert _case(case.id).status == "in_progress" and open_task(case.id, "plan_cell_meeting") is not None
    [retried] = events("case_retried", case.id)
    assert retried.actor_name and retried.payload["failure"] == newer.id and retried.payload["status"] == {
        "before": "failed", "after": "in_progress"}
    assert case.id not in _rows(admin.get("/admin/operations"))

    # A double click (the same form again): the case is no longer failed, nothing runs twice.
    before = db_state()
    second = _retry(admin, case.id, newer.id)
    assert second.status_code == 302 and db_state() == before and len(events("case_retried", case.id)) == 1
    assert any("không còn lỗi" in text for text in alerts(admin.get("/admin/operations")))


def test_only_administrators_see_the_view_or_retry_and_forged_retries_change_nothing(
        as_user, browser, start_case, driver):
    case, _home = _failed_timer(start_case, driver)
    [failure] = events("timer_failed", case.id)
    for username in ("tq-ln-thpt.cell_secretary", "tq.auditor"):
        other = as_user(username)
        assert other.get("/admin/operations").status_code == 403
        before = db_state()
        assert other.post(f"/admin/operations/{case.id}/retry", {"failure": str(failure.id)},
                          token_from="/inbox").status_code == 403
        assert db_state() == before
    assert not texts(as_user("tq-ln-thpt.cell_secretary").get("/inbox"), "//*[@data-testid='nav-operations']")
    assert browser.get("/admin/operations").status_code in (302, 401)

    admin = as_user("admin")
    assert texts(admin.get("/inbox"), "//*[@data-testid='nav-operations']") == ["Vận hành"]
    before = db_state()
    for forged in ({}, {"failure": "abc"}, {"failure": "99999999999"}):
        answer = admin.post(f"/admin/operations/{case.id}/retry", forged, token_from="/admin/operations")
        assert answer.status_code == 302
    assert any("không hợp lệ" in text for text in alerts(admin.get("/admin/operations")))
    assert admin.post("/admin/operations/999999/retry", {"failure": str(failure.id)},
                      token_from="/admin/operations").status_code == 404
    no_token = admin._open("post", f"/admin/operations/{case.id}/retry", data={"failure": str(failure.id)})
    assert no_token.status_code == 400  # a forged cross-site POST: no CSRF token
    assert db_state() == before and _case(case.id).status == "failed"


def _sympathiser_answers(case_id, driver):
    cell = _case(case_id).unit_id
    helper = choice_answers("add_to_sympathiser_list", cell, driver.local_day())["helper_member"]
    return {"sympathiser_resolution_number": "05-NQ/CB", "helper_member": str(helper),
            "sympathiser_resolution_date": driver.local_day().strftime("%d/%m/%Y")}


def test_a_step_whose_code_fails_is_recorded_the_person_may_send_again_and_a_fixed_version_lets_it_through(
        as_user, start_case, driver):
    files = files_from_directories(ROOT / "processes", ROOT / "forms")
    good = dict(files)
    files["admission.bpmn"] = files["admission.bpmn"].replace(ANCHOR, b"x = name_nobody_set")
    store_version(files, comment="a typo that got in")  # stored as an older version could hold it
    db.session.commit()
    case = start_case("TQ-LN-THPT", full_name="Trần Thị Lỗi")
    driver.run(case.id, until="add_to_sympathiser_list")
    task = open_task(case.id, "add_to_sympathiser_list")
    secretary = as_user("tq-ln-thpt.cell_secretary")
    form = html(secretary.get(f"/tasks/{task.id}"))
    seen = form.xpath("//input[@name='_seen_version']/@value")[0]
    answers = _sympathiser_answers(case.id, driver) | {"_seen_version": seen}

    sent = secretary.post(f"/tasks/{task.id}", answers)
    assert sent.status_code == 422 and "initialise_case" in sent.get_data(as_text=True)
    [failure] = events("step_failed", case.id)
    assert failure.payload["task"] == "add_to_sympathiser_list" and failure.payload["element"] == "initialise_case"
    assert failure.actor_role == "cell_secretary" and "data" not in failure.payload
    assert _case(case.id).status == "failed" and open_task(case.id, "add_to_sympathiser_list").id == task.id
    # The same page sent again is not "changed by someone else" (409): the record left the version counter.
    assert secretary.post(f"/tasks/{task.id}", answers).status_code == 422

    admin = as_user("admin")
    row = _rows(admin.get("/admin/operations"))[case.id]
    assert row.get("data-kind") == "step_failed"
    assert "Khi gửi bước “Đưa vào danh sách cảm tình Đảng" in texts(row, ".//*[@data-testid='failure']")[0]
    assert texts(row, ".//*[@data-testid='reason']") == ["mã của phần tử “initialise_case” gặp lỗi."]
    admin.get("/lang/en")
    english = _rows(admin.get("/admin/operations"))[case.id]
    assert texts(english, ".//*[@data-testid='reason']") == ["the code of element “initialise_case” failed."]
    assert "When sending the step" in texts(english, ".//*[@data-testid='failure']")[0]
    admin.get("/lang/vi")

    # The fix: the good diagram deployed, the case moved (safe: the failing script lies ahead of it).
    fixed, _ = store_version(good, comment="typo fixed")
    db.session.commit()
    assert migrate_cases(_admin(), fixed.id, [case.id]) == [case.id]
    assert _case(case.id).status == "in_progress" and case.id not in _rows(admin.get("/admin/operations"))
    form = html(secretary.get(f"/tasks/{task.id}"))
    answers["_seen_version"] = form.xpath("//input[@name='_seen_version']/@value")[0]
    assert secretary.post(f"/tasks/{task.id}", answers).status_code == 302
    assert open_task(case.id, "add_to_sympathiser_list") is None


def _admin():
    return db.session.execute(sa.select(User).join(RoleAssignment, RoleAssignment.user_id == User.id)
                              .where(RoleAssignment.role == "admin")).scalars().first()
