"""Issue 10 over HTTP: the date of an act is the date of its check, and no act is dated before the acts
it stands on. Each refusal reaches the page under the date typed, names both dates, and changes
nothing; the same step dated lawfully goes through. (The services side: tests/services/test_acts_and_records.py.)"""
from datetime import date, timedelta

from webapp.demo.answers import answers_for
from webapp.extensions import db
from webapp.models import ProcessInstance

from ..services.helpers import facts
from .helpers import db_state, field_errors, html, open_task, redirect_path

SECRETARY, VERIFIER, DECIDER = "tq-ln-thpt.cell_secretary", "tq-ln-thpt.verifier", "tq-ln.standing_committee"


def _seen(instance_id):
    row = db.session.get(ProcessInstance, instance_id)
    db.session.refresh(row)
    return str(row.lock_version)


def _answers(form_name, day):
    return {key: str(value) for key, value in answers_for(form_name, day).items()}


def test_a_vote_on_someone_under_18_is_refused_at_its_own_date_not_the_planned_one(as_user, start_case, driver):
    # 18 by month in March 2026: the meeting planned for 25/03 passes the planning check; a vote
    # recorded in January is a vote on someone under 18, whatever the plan says.
    case = start_case(date_of_birth=date(2008, 3, 20))
    driver.run(case.id, until="plan_cell_meeting")
    driver.complete(open_task(case.id, "plan_cell_meeting"), {"plan_cell_meeting": {"meeting_date": "2026-03-25"}})
    task = open_task(case.id, "record_cell_vote")
    secretary = as_user(SECRETARY)
    page = secretary.get(f"/tasks/{task.id}")
    ticked = html(page).xpath("//*[@data-testid='presence']//input[@name='present_members']/@value")[:8]
    january = driver.local_day()
    values = _answers("record_cell_vote", january) | {
        "official_members": "11", "present": "8", "agree": "8", "disagree": "0", "present_members": ticked,
        "present_members_shown": "1"}

    before = db_state()
    refused = secretary.post(f"/tasks/{task.id}", values | {"_seen_version": _seen(case.id)},
                             token_from=f"/tasks/{task.id}")
    assert refused.status_code == 422 and db_state() == before
    [message] = field_errors(refused, "vote_date")
    assert message.startswith(f"Ngày họp biểu quyết {january:%d/%m/%Y}: người xin vào Đảng (sinh 20/03/2008) mới ")
    assert "chưa đủ 216 tháng (đủ 18 tuổi từ tháng 03/2026)" in message
    assert open_task(case.id, "record_cell_vote").id == task.id

    lawful = values | {"vote_date": "2026-03-25", "resolution_date": "2026-03-25", "_seen_version": _seen(case.id)}
    posted = secretary.post(f"/tasks/{task.id}", lawful, token_from=f"/tasks/{task.id}")
    assert redirect_path(posted) == "/inbox"


def test_a_decision_dated_before_the_appraisal_is_refused_naming_both_dates(as_user, start_case, driver):
    case = start_case()
    driver.run(case.id, until="decide_admission")
    task = open_task(case.id, "decide_admission")
    decider = as_user(DECIDER)
    values = _answers("decide_admission", driver.local_day())
    appraisal = date.fromisoformat(facts(case.id)["appraisal_date"])
    early = appraisal - timedelta(days=1)

    before = db_state()
    refused = decider.post(f"/tasks/{task.id}", values | {"decision_date": early.isoformat(),
                                                          "_seen_version": _seen(case.id)},
                           token_from=f"/tasks/{task.id}")
    assert refused.status_code == 422 and db_state() == before
    assert field_errors(refused, "decision_date") == [
        f"Ngày quyết định {early:%d/%m/%Y} sớm hơn ngày thẩm định hồ sơ {appraisal:%d/%m/%Y}."]

    posted = decider.post(f"/tasks/{task.id}", values | {"decision_date": appraisal.isoformat(),
                                                         "_seen_version": _seen(case.id)},
                          token_from=f"/tasks/{task.id}")
    assert redirect_path(posted) == "/inbox"


def test_the_applicant_named_as_her_own_verifier_is_refused_on_the_page(as_user, start_case, driver):
    case = start_case(full_name="Hoàng Thị Mai")
    driver.run(case.id, until="record_verification")
    task = open_task(case.id, "record_verification")
    verifier = as_user(VERIFIER)
    values = _answers("record_verification", driver.local_day())

    before = db_state()
    refused = verifier.post(f"/tasks/{task.id}", values | {"verifier_name": "hoàng  thị MAI",
                                                           "_seen_version": _seen(case.id)},
                            token_from=f"/tasks/{task.id}")
    assert refused.status_code == 422 and db_state() == before
    assert field_errors(refused, "verifier_name") == [
        "Người thẩm tra trùng tên với người xin vào Đảng: người xin vào Đảng không được tự thẩm tra lý lịch của mình."]

    posted = verifier.post(f"/tasks/{task.id}", values | {"_seen_version": _seen(case.id)},
                           token_from=f"/tasks/{task.id}")
    assert redirect_path(posted) == "/inbox"
