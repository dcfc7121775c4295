"""Comments, drafts and corrections over HTTP (issue 15): the person who may, and everyone who may not.

Wrong person, forged posts, stale pages, double clicks and addresses outside the reader's scope are
each refused in words with their own status, and change nothing.
"""
import logging

import pytest
from sqlalchemy import func, select

from webapp.extensions import db
from webapp.models import CaseComment, HumanTask, StepCorrection, TaskDraft

from .helpers import alerts, db_state, events, html, input_value, open_task, redirect_path, texts

SECRETARY, YOUTH, VERIFIER = "tq-ln-thpt.cell_secretary", "tq-ln-thpt.youth_union", "tq-ln-thpt.verifier"
STANDING, AUDITOR, OUTSIDER = "tq-ln.standing_committee", "tq.auditor", "tq-ch-thpt.cell_secretary"


@pytest.fixture()
def at_application(start_case, driver):
    case = start_case("TQ-LN-THPT", full_name="Đỗ Thị Nháp")
    driver.run(case.id, until="write_application")
    return case, open_task(case.id, "write_application")


@pytest.fixture()
def at_verification(start_case, driver):
    case = start_case("TQ-LN-THPT", full_name="Vũ Văn Sửa")
    driver.run(case.id, until="record_verification")
    return case


def _count(model):
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model))


# --- drafts -----------------------------------------------------------------------------------------


def test_a_draft_is_saved_unchecked_refilled_for_its_author_only_and_gone_after_submitting(as_user, at_application):
    case, task = at_application
    secretary = as_user(SECRETARY)
    typed = {"relatives": "Đỗ Văn Cha\nNguyễn Thị Mẹ", "application_date": "2999-01-01"}  # a future date: unchecked

    saved = secretary.post(f"/tasks/{task.id}/draft", typed, token_from=f"/tasks/{task.id}")

    assert redirect_path(saved) == f"/tasks/{task.id}"
    page = secretary.get(f"/tasks/{task.id}")
    assert input_value(page, "relatives").strip() == "Đỗ Văn Cha\nNguyễn Thị Mẹ"
    assert input_value(page, "application_date") == "2999-01-01"
    assert texts(page, "//*[@data-testid='draft-saved']")
    assert open_task(case.id, "write_application").id == task.id  # nothing completed
    assert not [e for e in events(instance_id=case.id) if "Đỗ Văn Cha" in str(e.payload)]  # not in the trail

    # Nobody else gets it: the Youth Union of the same cell may not even open the step.
    youth = as_user(YOUTH)
    assert youth.get(f"/tasks/{task.id}").status_code == 403
    before = db_state()
    forged = youth.post(f"/tasks/{task.id}/draft", {"relatives": "Giả mạo"}, token_from="/inbox")
    assert forged.status_code == 403 and db_state() == before
    assert _count(TaskDraft) == 1
    assert as_user(OUTSIDER).post(f"/tasks/{task.id}/draft", {"relatives": "x"}, token_from="/inbox").status_code \
        == 404

    # Throwing it away, then saving and submitting: the draft goes with the submission.
    secretary.post(f"/tasks/{task.id}/draft/discard", {}, token_from=f"/tasks/{task.id}")
    assert _count(TaskDraft) == 0
    secretary.post(f"/tasks/{task.id}/draft", typed, token_from=f"/tasks/{task.id}")
    form = {name: value for name, value in {
        "application_date": "2026-01-10", "history_date": "2026-01-10", "relatives": "Đỗ Văn Cha",
        "hometown_place": "Đảng ủy xã Quê", "residence_place": "Đảng ủy phường Ở"}.items()}
    done = secretary.post(f"/tasks/{task.id}", form | {"_seen_version": input_value(
        secretary.get(f"/tasks/{task.id}"), "_seen_version")}, token_from=f"/tasks/{task.id}")
    assert redirect_path(done) == "/inbox", alerts(done) if done.status_code != 302 else ""
    assert _count(TaskDraft) == 0
    late = secretary.post(f"/tasks/{task.id}/draft", typed, token_from="/inbox")  # a stale tab saves after
    assert redirect_path(late) == f"/cases/{case.id}" and _count(TaskDraft) == 0


# --- comments ---------------------------------------------------------------------------------------


def test_a_comment_is_shown_escaped_to_those_who_see_the_case_and_refused_otherwise(as_user, at_application):
    case, _task = at_application
    secretary = as_user(SECRETARY)
    words = "Chờ bản gốc giấy khai sinh <script>alert(1)</script>"

    posted = secretary.post(f"/cases/{case.id}/comments", {"comment": words})

    assert redirect_path(posted) == f"/cases/{case.id}"
    page = secretary.get(f"/cases/{case.id}")
    assert words in texts(page, "//*[@data-testid='comment']//*[@class='comment-body']")
    assert "<script>alert(1)</script>" not in page.get_data(as_text=True)  # escaped, never markup
    for reader in (YOUTH, STANDING, AUDITOR):
        assert words in texts(as_user(reader).get(f"/cases/{case.id}"), "//*[@class='comment-body']"), reader
    # In the auditor's timeline, with the words, as a comment event.
    history = as_user(AUDITOR).get(f"/cases/{case.id}/history")
    assert words in texts(history, "//*[@data-testid='timeline-comment']")

    before = db_state()
    assert secretary.post(f"/cases/{case.id}/comments", {"comment": words}).status_code == 422  # double click
    assert secretary.post(f"/cases/{case.id}/comments", {"comment": "  "}).status_code == 422
    long = secretary.post(f"/cases/{case.id}/comments", {"comment": "x" * 2001})
    assert long.status_code == 422 and any("2000" in text for text in alerts(long))
    outsider = as_user(OUTSIDER)
    assert outsider.post(f"/cases/{case.id}/comments", {"comment": "Xin chào"}, token_from="/inbox").status_code \
        == 404
    assert words not in outsider.get(f"/cases/{case.id}").get_data(as_text=True)
    assert db_state() == before and _count(CaseComment) == 1


def test_a_comment_on_the_task_page_keeps_what_was_typed(as_user, at_application):
    case, task = at_application
    secretary = as_user(SECRETARY)

    response = secretary.post(f"/tasks/{task.id}/comments",
                              {"_comment": "Lý lịch còn thiếu mục 21", "relatives": "Đỗ Văn Cha"},
                              token_from=f"/tasks/{task.id}")

    assert response.status_code == 200
    assert input_value(response, "relatives").strip() == "Đỗ Văn Cha"
    assert "Lý lịch còn thiếu mục 21" in texts(response, "//*[@class='comment-body']")
    # A comment on the personal history is read where that data is read: not by the Youth Union.
    assert "Lý lịch còn thiếu mục 21" not in as_user(YOUTH).get(f"/cases/{case.id}").get_data(as_text=True)
    assert "Lý lịch còn thiếu mục 21" in as_user(AUDITOR).get(f"/cases/{case.id}").get_data(as_text=True)


# --- corrections ------------------------------------------------------------------------------------


def _reopen(browser, case, task, reason="Gõ nhầm nơi cư trú", seen=None):
    page = browser.get(f"/cases/{case.id}")
    seen = seen if seen is not None else (html(page).xpath("//form[@data-testid='reopen-form']"
                                                          "//input[@name='_seen_version']/@value") or ["0"])[0]
    return browser.post(f"/cases/{case.id}/steps/{task.id}/reopen", {"reason": reason, "_seen_version": seen},
                        token_from=f"/cases/{case.id}")


def test_the_secretary_reopens_the_application_and_sees_the_old_values_to_correct(as_user, at_verification):
    case = at_verification
    task = db.session.execute(select(HumanTask).where(HumanTask.instance_id == case.id,
                                                      HumanTask.spec_name == "write_application")).scalar_one()
    old_place = task.submitted["residence_place"]
    secretary = as_user(SECRETARY)
    assert texts(secretary.get(f"/cases/{case.id}"), "//*[@data-testid='reopen']")

    response = _reopen(secretary, case, task)

    assert redirect_path(response) == f"/tasks/{task.id}"
    page = secretary.get(f"/tasks/{task.id}")
    assert texts(page, "//*[@data-testid='reopened-notice']")
    assert input_value(page, "residence_place") == old_place
    assert [e.kind for e in events(instance_id=case.id)][-1] == "step_reopened"
    case_page = secretary.get(f"/cases/{case.id}")
    assert "Gõ nhầm nơi cư trú" in texts(case_page, "//*[@data-testid='correction-reason']")


def test_reopening_is_refused_to_the_wrong_person_without_a_reason_stale_twice_and_out_of_scope(
        as_user, at_verification):
    case = at_verification
    task = db.session.execute(select(HumanTask).where(HumanTask.instance_id == case.id,
                                                      HumanTask.spec_name == "write_application")).scalar_one()
    secretary = as_user(SECRETARY)
    before = db_state()
    wrong = _reopen(as_user(VERIFIER), case, task, seen="1")
    assert wrong.status_code == 403 and db_state() == before
    assert not texts(as_user(AUDITOR).get(f"/cases/{case.id}"), "//*[@data-testid='reopen']")  # no button either
    assert _reopen(as_user(AUDITOR), case, task, seen="1").status_code == 403
    no_reason = _reopen(secretary, case, task, reason="   ")
    assert no_reason.status_code == 422 and any("lý do" in text.lower() for text in alerts(no_reason))
    assert _reopen(secretary, case, task, seen="0").status_code == 409  # drawn before the case changed
    assert as_user(OUTSIDER).post(f"/cases/{case.id}/steps/{task.id}/reopen", {"reason": "x"},
                                  token_from="/inbox").status_code == 404
    other = db.session.execute(select(HumanTask.id).where(HumanTask.instance_id != case.id)).scalars().first()
    if other is not None:  # another case's step under this case's address
        assert _reopen(secretary, case, db.session.get(HumanTask, other), seen="1").status_code == 404
    assert db_state() == before and _count(StepCorrection) == 0

    standing = as_user(STANDING)  # the level above, with a reason
    assert redirect_path(_reopen(standing, case, task, reason="Sai ngày khai lý lịch")) == f"/cases/{case.id}"
    twice = standing.post(f"/cases/{case.id}/steps/{task.id}/reopen", {"reason": "Sai ngày", "_seen_version": "1"},
                          token_from=f"/cases/{case.id}")
    assert twice.status_code == 403 and _count(StepCorrection) == 1


def test_a_draft_and_a_comment_leave_nothing_in_the_log(as_user, at_application, caplog):
    """Personal data typed into a draft (the personal history) never reaches the application's log."""
    _case, task = at_application
    secretary = as_user(SECRETARY)
    caplog.set_level(logging.DEBUG)
    secret = "Bác ruột Nguyễn Văn Bí Mật, định cư nước ngoài"
    secretary.post(f"/tasks/{task.id}/draft", {"relatives": secret}, token_from=f"/tasks/{task.id}")
    secretary.post(f"/tasks/{task.id}/comments", {"_comment": secret}, token_from=f"/tasks/{task.id}")
    assert _count(TaskDraft) == 1 and _count(CaseComment) == 1
    assert secret not in caplog.text
