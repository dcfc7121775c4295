"""The stage facts the reports count (issue 11): written by the unit of work, back-filled alike.

Expected dates are read by the test from what was submitted (the human_task rows), never from the
code under test: a stage is dated with its act (the vote's day, the decision's), one row per stage.
"""
import importlib.util
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import delete, select, update

from webapp.extensions import db
from webapp.models import CaseStage, HumanTask, ProcessInstance
from webapp.rules.dates import add_months
from webapp.rules.stages import EXITS, FUNNEL

from .helpers import instance, task_named

MIGRATION = Path(__file__).resolve().parents[2] / "migrations" / "versions" / "0013_reports_facts.py"
REJECT = {"decide_admission": {"decision": "reject", "decision_agree": 2,
                               "decision_reason": "Chưa gương mẫu trong học tập."}}
FAILED_CELL_VOTE = {"record_cell_vote": {"agree": 5, "disagree": 4}}


def stages(instance_id):
    rows = db.session.execute(select(CaseStage).where(CaseStage.instance_id == instance_id)
                              .order_by(CaseStage.id)).scalars().all()
    return {row.stage: row for row in rows}


def submitted(instance_id, spec_name, field, which=0):
    """The value of `field` the `which`-th completion of `spec_name` submitted (the test's own count)."""
    answers = db.session.execute(select(HumanTask.submitted).where(
        HumanTask.instance_id == instance_id, HumanTask.spec_name == spec_name, HumanTask.status == "completed")
        .order_by(HumanTask.completed_at, HumanTask.id)).scalars().all()
    return date.fromisoformat(answers[which][field]) if "date" in field else answers[which][field]


def test_an_admitted_and_recognised_case_has_every_funnel_stage_once_dated_by_its_acts(start_case, driver, world):
    case = start_case()
    driver.run(case.id)
    reached = stages(case.id)
    assert list(reached) == [s for s in FUNNEL if s in reached]  # recorded in the procedure's order
    assert set(reached) == set(FUNNEL)
    cell = world.cells["TQ-LN-THPT"].id
    assert {row.unit_id for row in reached.values()} == {cell}
    expected = {
        "nominated": submitted(case.id, "nominate_student", "nomination_date"),
        "sympathiser": submitted(case.id, "add_to_sympathiser_list", "sympathiser_resolution_date"),
        "course_attended": submitted(case.id, "record_course_result", "certificate_date"),
        "certified": submitted(case.id, "record_course_result", "certificate_date"),
        "cell_approved": submitted(case.id, "record_cell_vote", "vote_date"),
        # A grassroots cell has no committee above it to vote: its own vote is the approval.
        "committee_approved": submitted(case.id, "record_cell_vote", "vote_date"),
        "decided": submitted(case.id, "decide_admission", "decision_date"),
        "admitted": submitted(case.id, "hold_ceremony", "ceremony_date"),
        "recognised": submitted(case.id, "decide_recognition", "recognition_decision_date"),
    }
    assert {stage: reached[stage].reached_on for stage in expected} == expected
    # The dossier is complete with the application; verified with the grassroots certification (item 26),
    # which comes after the last place's answer and the cell's comment.
    assert reached["dossier_complete"].reached_on == submitted(case.id, "write_application", "application_date")
    last_verification = max(submitted(case.id, "record_verification", "verification_date", i) for i in range(2))
    certified = submitted(case.id, "certify_history_grassroots_cell", "history_certification_date")
    assert reached["verified"].reached_on == certified >= last_verification
    row = instance(case.id)
    assert (row.decision_number, row.decision_date) == (
        submitted(case.id, "decide_admission", "decision_number"), expected["decided"])
    assert row.ceremony_date == expected["admitted"]
    assert row.recognised_on == add_months(expected["admitted"], 12)  # official as of the end of probation


def test_a_committee_vote_dates_the_committee_approval(start_case, driver):
    case = start_case("TQ-CX-THPT-1")
    driver.run(case.id, until="appraise_file")
    reached = stages(case.id)
    assert reached["cell_approved"].reached_on == submitted(case.id, "record_cell_vote", "vote_date")
    assert reached["committee_approved"].reached_on == submitted(case.id, "record_committee_vote",
                                                                 "committee_vote_date")
    assert "decided" not in reached and instance(case.id).decision_date is None


def test_a_rejection_is_decided_and_rejected_and_never_admitted(start_case, driver):
    case = start_case()
    driver.run(case.id, overrides=REJECT)
    reached = stages(case.id)
    decided_on = submitted(case.id, "decide_admission", "decision_date")
    assert (reached["decided"].reached_on, reached["rejected"].reached_on) == (decided_on, decided_on)
    assert not {"admitted", "recognised"} & set(reached)
    assert instance(case.id).ceremony_date is None


def test_a_failed_vote_is_one_row_dated_the_first_time_and_a_close_is_an_exit(start_case, driver):
    case = start_case()
    driver.run(case.id, until="reconsider_after_failed_vote", overrides=FAILED_CELL_VOTE)
    driver.complete(task_named(case.id, "reconsider_after_failed_vote"))
    driver.run(case.id, overrides=FAILED_CELL_VOTE | {"reconsider_after_failed_vote": {
        "reconsider_decision": "close", "reconsider_reason": "Học sinh chuyển trường."}})
    reached = stages(case.id)
    assert reached["vote_failed"].reached_on == submitted(case.id, "record_cell_vote", "vote_date", 0)
    assert "closed" in reached and "cell_approved" not in reached
    assert db.session.query(CaseStage).filter_by(instance_id=case.id, stage="vote_failed").count() == 1


@pytest.mark.parametrize("overrides, student, exit_stage, last_stage", [
    ({"record_course_result": {"attendance_percent": 40, "certificate_number": None, "certificate_date": None}},
     {}, "failed_course", "course_attended"),
    ({"record_verification": {"verification_finding": "problem", "verification_notes": "Vi phạm pháp luật"},
      "conclude_verification_finding": {"finding_conclusion": "stop"}},
     {}, "stopped_after_verification", "certified"),
    ({}, {"date_of_birth": date(2008, 9, 20)}, "waiting_18", "dossier_complete"),
    ({}, {"date_of_birth": date(1960, 1, 1)}, "closed", "dossier_complete"),
])
def test_each_way_out_is_a_row(start_case, driver, overrides, student, exit_stage, last_stage):
    case = start_case(**student)
    if exit_stage == "failed_course":
        driver.run(case.id, until="record_course_result")
        driver.complete(task_named(case.id, "record_course_result"), overrides)
        assert task_named(case.id, "enroll_in_course")  # the course again
    else:
        driver.run(case.id, until="timer" if exit_stage == "waiting_18" else None, overrides=overrides)
    reached = stages(case.id)
    assert exit_stage in EXITS and exit_stage in reached and last_stage in reached
    assert not set(reached) & {"cell_approved", "decided", "admitted"}


def _migration():
    spec = importlib.util.spec_from_file_location("migration_0013", MIGRATION)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _facts():
    rows = db.session.execute(select(CaseStage.instance_id, CaseStage.stage, CaseStage.reached_on,
                                     CaseStage.unit_id)).all()
    columns = db.session.execute(select(ProcessInstance.id, ProcessInstance.decision_number,
                                        ProcessInstance.decision_date, ProcessInstance.ceremony_date,
                                        ProcessInstance.recognised_on)).all()
    return sorted(tuple(r) for r in rows), sorted(tuple(c) for c in columns)


def test_the_migration_back_fill_gives_the_rows_live_recording_gave(start_case, driver):
    cases = [start_case(), start_case("TQ-CX-THPT-1"), start_case("TQ-DHTT-SP-SV"), start_case(),
             start_case(date_of_birth=date(2008, 9, 20))]
    driver.run(cases[0].id)
    driver.run(cases[1].id, until="write_self_review")
    driver.run(cases[2].id, overrides=REJECT | {"decide_admission_delegated": REJECT["decide_admission"]})
    driver.run(cases[3].id, overrides={"record_verification": {"verification_finding": "problem",
                                                               "verification_notes": "Vi phạm"},
                                       "conclude_verification_finding": {"finding_conclusion": "stop"}})
    driver.run(cases[4].id, until="timer")
    live = _facts()
    assert len(live[0]) > 30
    db.session.execute(delete(CaseStage))
    db.session.execute(update(ProcessInstance).values(decision_number=None, decision_date=None, ceremony_date=None,
                                                      recognised_on=None))
    db.session.commit()
    with db.engine.begin() as connection:
        _migration().backfill(connection, batch=2)  # batches smaller than the cases: the paging is exercised
    assert _facts() == live
    with db.engine.begin() as connection:
        _migration().backfill(connection)  # run twice, nothing is added
    assert _facts() == live


def test_recorded_at_is_the_step_and_reached_on_is_the_act(start_case, driver):
    """A step recorded days after the act keeps the act's day (the minutes are typed in later)."""
    case = start_case()
    driver.run(case.id, until="record_cell_vote")
    vote_day = driver.local_day() + timedelta(days=1)  # the day after the last act so far
    driver.now += timedelta(days=3)  # the minutes are typed in 3 days after the meeting
    driver.complete(task_named(case.id, "record_cell_vote"), {"record_cell_vote": {
        "vote_date": vote_day.isoformat(), "resolution_date": vote_day.isoformat()}})
    row = stages(case.id)["cell_approved"]
    assert row.reached_on == vote_day
    assert row.recorded_at.date() >= vote_day + timedelta(days=3)
