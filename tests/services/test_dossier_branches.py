"""Verification, age, certificate and dossier freshness: the branches before the cell meeting."""
from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from webapp import rules
from webapp.extensions import db
from webapp.services import Forbidden, complete_task, create_user, grant_role, run_due_timers

from .helpers import completed_specs, events, facts, instance, open_specs, open_tasks, restored, task_named

THREE_PLACES = {"write_application": {"other_place": "Công ty Xây dựng số 3 (nơi cha công tác)"}}


def test_no_verification_when_the_family_includes_a_party_member(start_case, driver):
    case = start_case()
    driver.run(case.id, until="plan_cell_meeting",
               overrides={"write_application": {"family_has_party_member": True}})
    assert "record_verification" not in completed_specs(case.id)
    assert facts(case.id)["verification_status"] == "skipped"


def test_one_request_per_place_answered_in_parallel(start_case, driver):
    case = start_case()
    driver.run(case.id, until="record_verification", overrides=THREE_PLACES)
    verifications = [t for t in open_tasks(case.id) if t.spec_name == "record_verification"]
    assert len(verifications) == 3
    # The other branch of the dossier goes on at the same time.
    assert "assign_introducers" in open_specs(case.id)
    places = sorted(_ready_places(case.id))
    assert places == sorted(["Đảng ủy xã Quê Hương", "Đảng ủy phường Nơi Ở",
                             "Công ty Xây dựng số 3 (nơi cha công tác)"])


def _ready_places(instance_id):
    case = restored(instance_id)
    return [t.data["place"] for t in case.ready_user_tasks() if t.spec_name == "record_verification"]


def test_a_negative_finding_concluded_as_a_stop_stops_the_case_with_the_conclusion(start_case, driver):
    case = start_case()
    found, concluded = "Vi phạm pháp luật nơi cư trú", "Vi phạm pháp luật nơi cư trú: chưa đủ tiêu chuẩn"
    driver.run(case.id, overrides={
        "record_verification": {"verification_finding": "problem", "verification_notes": found},
        "conclude_verification_finding": {"finding_conclusion": "stop", "finding_conclusion_text": concluded}})
    stopped = instance(case.id)
    assert (stopped.status, stopped.outcome) == ("stopped", "stopped_background")
    finished = events(case.id, "case_finished")[-1]
    assert concluded in finished.payload["reason"]
    assert "conclude_verification_finding" in completed_specs(case.id)
    assert open_tasks(case.id) == []  # the introducers' branch was cancelled with it


def test_a_relative_may_not_verify(start_case, driver, world):
    case = start_case()
    driver.run(case.id, until="record_verification")
    relative = create_user(username="cha", full_name="Trần Văn Cha", password="x" * 12)
    grant_role(relative, "verifier", world.cells["TQ-LN-THPT"])
    db.session.commit()
    task = task_named(case.id, "record_verification")
    with pytest.raises(Forbidden, match="người thân"):
        driver.complete(task, actor=relative)
    assert task_named(case.id, "record_verification").status == "open"


def test_the_applicant_may_not_verify_themself(start_case, driver, world):
    applicant = create_user(username="an", full_name="Nguyễn Văn An", password="x" * 12)
    grant_role(applicant, "verifier", world.cells["TQ-LN-THPT"])
    db.session.commit()
    case = start_case(user_id=None)
    driver.run(case.id, until="record_verification")
    with pytest.raises(Forbidden):
        driver.complete(task_named(case.id, "record_verification"), actor=applicant)


def test_under_18_waits_and_wakes_in_the_month_of_the_18th_birthday(start_case, driver):
    case = start_case(date_of_birth=date(2008, 9, 20))
    driver.run(case.id, until="timer")
    waiting = instance(case.id)
    assert waiting.status == "waiting" and open_tasks(case.id) == []
    wake = waiting.next_timer_at.astimezone(timezone(timedelta(hours=7)))
    assert (wake.year, wake.month, wake.day) == (2026, 9, 1)

    assert run_due_timers(now=waiting.next_timer_at - timedelta(minutes=1)) == {}
    assert open_tasks(case.id) == []
    assert run_due_timers(now=waiting.next_timer_at + timedelta(minutes=1)) == {
        case.id: ["Chờ đến tháng đủ tuổi"]}
    assert open_specs(case.id) == ["plan_cell_meeting"]
    assert instance(case.id).status == "in_progress"
    assert [e.kind for e in events(case.id)][-1] == "timer_fired"


def test_over_the_age_limit_ends_the_case(start_case, driver):
    case = start_case(date_of_birth=date(1960, 1, 1))
    driver.run(case.id)
    assert instance(case.id).outcome == "not_eligible"


def test_an_expired_certificate_sends_the_student_back_to_the_course(start_case, driver):
    # A certificate cannot be dated before its course; it lapses when the meeting is planned more
    # than 60 months after it was issued.
    case = start_case()
    driver.run(case.id, until="plan_cell_meeting")
    task = task_named(case.id, "plan_cell_meeting")
    lapsed = rules.add_months(facts(case.id)["certificate_date"], 60).isoformat()
    driver.complete(task, {"plan_cell_meeting": {"meeting_date": lapsed}})
    assert open_specs(case.id) == ["enroll_in_course"]
    # After the new course the case returns straight to the meeting, not to the application.
    driver.run(case.id, until="plan_cell_meeting")
    assert completed_specs(case.id).count("write_application") == 1
    assert completed_specs(case.id).count("record_course_result") == 2


def test_dossier_documents_older_than_12_months_must_be_redone(start_case, driver):
    case = start_case()
    driver.run(case.id, until="plan_cell_meeting")
    stale = task_named(case.id, "plan_cell_meeting")
    driver.complete(stale, {"plan_cell_meeting": {"meeting_date": "2027-06-30"}})
    assert open_specs(case.id) == ["write_application"]


def test_only_verifiers_complete_verification_tasks(start_case, driver, world):
    case = start_case()
    driver.run(case.id, until="record_verification")
    secretary = world.users[("TQ-LN-THPT", "cell_secretary")]
    task = task_named(case.id, "record_verification")
    with pytest.raises(Forbidden):
        complete_task(secretary, task.id, {}, now=datetime.now(UTC))


def test_a_long_wait_to_turn_18_redoes_the_dossier_and_verification(start_case, driver):
    # Not 18 until October 2027: by then the application is older than 12 months, so the dossier is
    # written again and the places are asked again, then the case goes on to the end.
    case = start_case(date_of_birth=date(2009, 10, 4))
    driver.run(case.id)
    assert instance(case.id).status == "official"
    assert completed_specs(case.id).count("write_application") == 2
    assert completed_specs(case.id).count("record_verification") == 4
