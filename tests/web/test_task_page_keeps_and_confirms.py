"""The task page keeps what was typed, asks before a failing vote or a case-ending decision, links from the case.

Issue 15's defects, seen over HTTP: an upload posts the task form's values along and they come back;
a vote short of two thirds or a decision that ends the case is recorded only after the person
confirmed the very consequence shown (without it nothing is called); the case page links the step
the reader acts on; a person whose own earlier submit went through is told so, with the time.
"""
import io
from datetime import timedelta

import pytest

from webapp.demo.answers import answers_for
from webapp.extensions import db
from webapp.models import Attachment, BodyMembership, ProcessInstance, User
from webapp.services import task_page  # the definition as deployed
from webapp.services.register import members_for_choice
from webapp.taskforms.confirmations import consequences, fingerprint

from .helpers import alerts, db_state, events, html, input_value, open_task, redirect_path, texts, tiny_pdf

SECRETARY, STANDING, AUDITOR = "tq-ln-thpt.cell_secretary", "tq-ln.standing_committee", "tq.auditor"


@pytest.fixture()
def at_cell_vote(start_case, driver):
    case = start_case("TQ-LN-THPT", full_name="Trần Thị Vote")
    driver.run(case.id, until="record_cell_vote")
    # The cell's register holds the 9 official members the typed answers say: 2 of its 11 moved away.
    day = driver.local_day()
    cell_id = db.session.get(ProcessInstance, case.id).unit_id
    for entry in members_for_choice(cell_id, day)[-2:]:
        db.session.get(BodyMembership, entry.membership_id).left_on = day - timedelta(days=60)
    db.session.commit()
    return case, open_task(case.id, "record_cell_vote")


def _vote(driver, **changes):
    values = answers_for("record_cell_vote", driver.local_day()) | changes
    return {name: value.isoformat() if hasattr(value, "isoformat") else str(value) for name, value in values.items()}


def _shown(response, name):
    return input_value(response, name)


def _confirmation(response):
    return texts(response, "//*[@data-testid='confirm-consequences']//li")


# --- 1. an upload keeps the typed values ------------------------------------------------------------


@pytest.mark.parametrize(("content", "name", "accepted"), [
    (tiny_pdf(), "bien-ban.pdf", True),
    (b"MZ\x90\x00 not a scan", "bien-ban.pdf", False),  # a program renamed .pdf: refused
    (tiny_pdf(), "", False),  # no file chosen
])
def test_an_upload_from_the_task_page_keeps_what_was_typed(as_user, at_cell_vote, driver, content, name, accepted):
    case, task = at_cell_vote
    secretary = as_user(SECRETARY)
    typed = _vote(driver, present=8, agree=7, disagree=1, resolution_number="<b>19-NQ/CB</b>")
    before = db_state()
    response = secretary.post(f"/tasks/{task.id}/attachments", typed | {"file": (io.BytesIO(content), name)},
                              token_from=f"/tasks/{task.id}", content_type="multipart/form-data")

    assert response.status_code == (200 if accepted else 422)
    for field, value in typed.items():
        assert _shown(response, field) == value, field
    # shown at the upload's address, the form still sends to the task itself
    assert html(response).xpath("//form[@data-testid='task-form']/@action") == [f"/tasks/{task.id}"]
    shown = alerts(response)
    if accepted:
        assert "Đã đính kèm bien-ban.pdf." in shown
        [stored] = db.session.query(Attachment).all()
        assert stored.task_spec == "record_cell_vote" and stored.instance_id == case.id
    else:
        assert db_state() == before
        assert any(text for text in shown), "the refusal is said"
    assert open_task(case.id, "record_cell_vote").id == task.id  # nothing was submitted

    # … and the kept values can then be sent as they are (the page carries the case's new counter)
    posted = secretary.post(f"/tasks/{task.id}", typed | {"_seen_version": _shown(response, "_seen_version")},
                            token_from=f"/tasks/{task.id}")
    assert redirect_path(posted) == "/inbox"
    [done] = events("task_completed", case.id)[-1:]
    assert done.payload["data"]["resolution_number"] == "<b>19-NQ/CB</b>"


# --- 2. a failing vote and a case-ending decision are confirmed first ----------------------------------


def test_a_failing_vote_is_shown_with_its_consequence_and_recorded_only_once_confirmed(as_user, at_cell_vote,
                                                                                     driver):
    case, task = at_cell_vote
    secretary = as_user(SECRETARY)
    typo = _vote(driver, present=9, agree=5, disagree=4)  # 9 counted, 6 needed
    before = db_state()

    asked = secretary.post(f"/tasks/{task.id}", typo, token_from=f"/tasks/{task.id}")
    assert asked.status_code == 200
    assert _confirmation(asked) == [
        "Biểu quyết này không đạt 2/3: 5 tán thành trên 9 được tính, cần ít nhất 6. "
        "Hồ sơ sẽ đi theo nhánh biểu quyết không đạt."]
    assert texts(asked, "//*[@data-testid='confirm']") == ["Xác nhận và gửi"]
    for field, value in typo.items():
        assert _shown(asked, field) == value, field
    assert db_state() == before

    # a made-up or stale confirmation is not one: asked again, nothing recorded
    for forged in ("1", "yes", fingerprint(["something else"]), "' OR 1=1 --"):
        again = secretary.post(f"/tasks/{task.id}", typo | {"_confirm": forged}, token_from=f"/tasks/{task.id}")
        assert again.status_code == 200 and _confirmation(again) == _confirmation(asked)
    assert db_state() == before

    # the secretary corrects the typo after seeing the warning: a passing vote goes through at once
    key = _shown(asked, "_confirm")
    fixed = typo | {"agree": "8", "disagree": "1", "_confirm": key}
    posted = secretary.post(f"/tasks/{task.id}", fixed, token_from=f"/tasks/{task.id}")
    assert redirect_path(posted) == "/inbox"
    assert events("task_completed", case.id)[-1].payload["data"]["agree"] == 8


def test_a_confirmed_failing_vote_is_recorded_and_changed_figures_are_asked_again(as_user, at_cell_vote, driver):
    case, task = at_cell_vote
    secretary = as_user(SECRETARY)
    typo = _vote(driver, present=9, agree=5, disagree=4)
    key = _shown(secretary.post(f"/tasks/{task.id}", typo, token_from=f"/tasks/{task.id}"), "_confirm")

    other = typo | {"agree": "4", "disagree": "5", "_confirm": key}  # still failing, but not what was confirmed
    before = db_state()
    asked = secretary.post(f"/tasks/{task.id}", other, token_from=f"/tasks/{task.id}")
    assert _confirmation(asked)[0].startswith("Biểu quyết này không đạt 2/3: 4 tán thành trên 9")
    assert db_state() == before

    confirmed = secretary.post(f"/tasks/{task.id}", typo | {"_confirm": key}, token_from=f"/tasks/{task.id}")
    assert redirect_path(confirmed) == "/inbox"
    assert events("task_completed", case.id)[-1].payload["data"]["agree"] == 5
    assert open_task(case.id, "reconsider_after_failed_vote") is not None


def test_a_passing_vote_needs_no_confirmation(as_user, at_cell_vote, driver):
    _case, task = at_cell_vote
    posted = as_user(SECRETARY).post(f"/tasks/{task.id}", _vote(driver), token_from=f"/tasks/{task.id}")
    assert redirect_path(posted) == "/inbox"


def test_a_decision_not_to_admit_is_confirmed_first(as_user, start_case, driver):
    case = start_case("TQ-LN-THPT", full_name="Lê Văn Quyết")
    driver.run(case.id, until="decide_admission")
    task = open_task(case.id, "decide_admission")
    standing = as_user(STANDING)
    values = {"decision": "reject", "decision_members": "9", "decision_agree": "2", "decision_number": "130-QĐ/ĐU",
              "decision_date": driver.local_day().isoformat(), "decision_reason": "Chưa đủ tiêu chuẩn."}
    before = db_state()
    asked = standing.post(f"/tasks/{task.id}", values, token_from=f"/tasks/{task.id}")
    assert _confirmation(asked) == ["Quyết định không kết nạp sẽ kết thúc hồ sơ."]
    assert html(asked).xpath("//input[@name='decision'][@value='reject']/@checked")
    assert db_state() == before
    posted = standing.post(f"/tasks/{task.id}", values | {"_confirm": _shown(asked, "_confirm")},
                           token_from=f"/tasks/{task.id}")
    assert redirect_path(posted) == "/inbox"
    assert events("task_completed", case.id)[-1].payload["data"]["decision"] == "reject"


def test_consequences_in_english_and_on_hostile_values(at_cell_vote):
    _case, task = at_cell_vote
    definition = task_page(_secretary(), task.id).definition
    assert consequences(definition, {"official_members": "9", "temporarily_attached": "0", "exempt_absent": "0",
                                     "present": "9", "agree": "5", "disagree": "4"}, "en") == [
        "This vote does not reach two thirds: 5 in favour of 9 counted, at least 6 needed. "
        "The case will go down the failed-vote branch."]
    for hostile in ("", "-3", "٥", "1e9", "9" * 40, "<script>"):
        assert consequences(definition, {"official_members": "9", "present": "9", "agree": hostile,
                                         "disagree": "0"}) == []
    # a tally wrong in itself gets its own error first, not a confirmation
    assert consequences(definition, {"official_members": "9", "present": "9", "agree": "5", "disagree": "7"}) == []


def _secretary():
    return db.session.query(User).filter_by(username=SECRETARY).one()


# --- 3. the case page links the reader's open step --------------------------------------------------


def test_the_case_page_links_the_step_its_reader_acts_on(as_user, at_cell_vote):
    case, task = at_cell_vote
    page = as_user(SECRETARY).get(f"/cases/{case.id}")
    assert html(page).xpath("//a[@data-testid='open-my-step']/@href") == [f"/tasks/{task.id}"]
    assert texts(page, "//a[@data-testid='open-my-step']") == ["Làm bước: Ghi kết quả biểu quyết của chi bộ"]
    for other in (STANDING, AUDITOR):
        assert html(as_user(other).get(f"/cases/{case.id}")).xpath("//a[@data-testid='open-my-step']") == []


# --- 4. one's own earlier submit -------------------------------------------------------------------


def test_ones_own_earlier_submit_is_told_as_such(as_user, at_cell_vote, driver):
    case, task = at_cell_vote
    secretary = as_user(SECRETARY)
    values = _vote(driver)
    assert redirect_path(secretary.post(f"/tasks/{task.id}", values, token_from=f"/tasks/{task.id}")) == "/inbox"
    before = db_state()
    retry = secretary.post(f"/tasks/{task.id}", values, token_from="/inbox")  # the answer got lost; sent again
    assert redirect_path(retry) == f"/cases/{case.id}"
    assert db_state() == before
    shown = alerts(secretary.get(f"/cases/{case.id}"))
    assert any(text.startswith("Bạn đã ghi nhận bước này lúc ") for text in shown), shown
    assert not any("người khác" in text for text in shown)
