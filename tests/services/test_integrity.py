"""The stored walks over the audit chain and what the integrity page reports from them.

The whole chain is walked by `flask audit verify` and by the worker once a day; the page shows
the latest walk and checks, live, only the events appended since.
"""
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from webapp.extensions import db
from webapp.models import AuditHead, ChainVerification, InstanceEvent, OrgUnit
from webapp.services import ActingAs, integrity_report, run_due_verification, run_worker
from webapp.services import integrity as integrity_module

from .helpers import events

NOW = datetime(2026, 11, 21, 3, 0, tzinfo=UTC)


def _cli(app, *args):
    return app.test_cli_runner().invoke(args=list(args))


def _all_events():
    return db.session.execute(sa.select(sa.func.count()).select_from(InstanceEvent)).scalar()


def _as(code, role="auditor"):
    unit = db.session.execute(sa.select(OrgUnit).where(OrgUnit.code == code)).scalar_one()
    return ActingAs(assignment_id=0, role=role, unit_id=unit.id, unit_name=unit.name)


def _tamper(seq):
    db.session.execute(sa.text("UPDATE instance_event SET actor_name = 'X' WHERE seq = :s"), {"s": seq})
    db.session.commit()


def _cases(start_case, driver):
    lộc_ninh = start_case("TQ-LN-THPT", citizen_id="001207000001")
    driver.run(lộc_ninh.id, until="write_application")
    chiêm_hóa = start_case("TQ-CH-THPT", citizen_id="001207000002")
    driver.run(chiêm_hóa.id, until="write_application")
    return lộc_ninh, chiêm_hóa


def test_the_command_walks_the_whole_chain_and_records_it(app, start_case, driver):
    _cases(start_case, driver)
    result = _cli(app, "audit", "verify")
    assert result.exit_code == 0 and f"{_all_events()} events checked" in result.output
    walk = db.session.execute(sa.select(ChainVerification)).scalar_one()
    head = db.session.get(AuditHead, 1)
    assert (walk.source, walk.checked, walk.first_broken_seq) == ("command", _all_events(), None)
    assert (walk.last_seq, walk.last_hash) == (head.last_seq, head.last_hash)

    report = integrity_report(_as("TQ"))
    assert report.intact and report.last_walk.id == walk.id
    assert (report.checked, report.newer_checked, report.unchecked) == (_all_events(), 0, 0)


def test_the_page_checks_the_events_appended_since_the_last_walk(app, start_case, driver):
    lộc_ninh, _chiêm_hóa = _cases(start_case, driver)
    _cli(app, "audit", "verify")
    walked = _all_events()
    driver.run(lộc_ninh.id, until="plan_cell_meeting")
    report = integrity_report(_as("TQ"))
    assert report.intact and report.newer_checked == _all_events() - walked > 0
    assert report.checked == _all_events()

    newer = events(lộc_ninh.id)[-1]
    _tamper(newer.seq)
    report = integrity_report(_as("TQ"))
    assert (report.intact, report.first_broken_seq, report.problem) == (False, newer.seq, "edited")
    assert report.broken_case_id == lộc_ninh.id


def test_an_edit_before_the_last_walk_is_named_by_the_next_walk(app, start_case, driver):
    lộc_ninh, _chiêm_hóa = _cases(start_case, driver)
    _cli(app, "audit", "verify")
    older = events(lộc_ninh.id, "task_completed")[1]
    _tamper(older.seq)
    # The page trusts the last walk up to where it went (it says when that was): walking millions of
    # events on every view is what the stored walks avoid. The next walk names the edit …
    assert integrity_report(_as("TQ")).intact
    result = _cli(app, "audit", "verify")
    assert result.exit_code == 1 and f"BROKEN at event {older.seq}" in result.output
    # … and from then on the page shows it, with the case, whatever was appended after it.
    driver.run(lộc_ninh.id, until="plan_cell_meeting")
    report = integrity_report(_as("TQ"))
    assert (report.intact, report.first_broken_seq, report.problem) == (False, older.seq, "edited")
    assert report.broken_case_id == lộc_ninh.id and report.newer_checked == 0
    # A district that does not hold the case is told the chain is broken, without the case.
    assert integrity_report(_as("TQ-CH", "standing_committee")).broken_case_id is None


def test_a_chain_cut_back_behind_the_last_walk_is_named(app, start_case, driver):
    _cases(start_case, driver)
    _cli(app, "audit", "verify")
    head = db.session.get(AuditHead, 1)
    last = head.last_seq
    previous = db.session.execute(sa.select(InstanceEvent).where(InstanceEvent.seq == last - 1)).scalar_one()
    db.session.execute(sa.delete(InstanceEvent).where(InstanceEvent.seq == last))
    head.last_seq, head.last_hash = previous.seq, previous.hash  # covering the tracks, without the key
    db.session.commit()
    report = integrity_report(_as("TQ"))
    assert (report.intact, report.first_broken_seq, report.problem) == (False, last, "rewound")


def test_events_in_scope_count_the_cases_of_the_readers_units(app, start_case, driver):
    lộc_ninh, chiêm_hóa = _cases(start_case, driver)
    _cli(app, "audit", "verify")
    driver.run(chiêm_hóa.id, until="plan_cell_meeting")  # newer events, checked by the page
    assert integrity_report(_as("TQ-CH", "standing_committee")).in_scope == len(events(chiêm_hóa.id))
    assert integrity_report(_as("TQ-LN", "standing_committee")).in_scope == len(events(lộc_ninh.id))
    case_events = len(events(chiêm_hóa.id)) + len(events(lộc_ninh.id))
    assert integrity_report(_as("TQ")).in_scope == case_events  # not the deployment's or the users' events


def test_the_page_leaves_a_long_backlog_to_the_next_walk(app, start_case, driver, monkeypatch):
    _cases(start_case, driver)
    monkeypatch.setattr(integrity_module, "PAGE_CHECK_LIMIT", 10)
    report = integrity_report(_as("TQ"))  # never walked: the page starts at the first event
    assert report.intact and report.last_walk is None
    assert (report.newer_checked, report.unchecked) == (10, _all_events() - 10)


def test_the_worker_walks_the_chain_once_a_day(app, start_case, driver):
    _cases(start_case, driver)
    day = timedelta(hours=24)
    walk, report = run_due_verification(day, now=NOW)
    assert report.intact and walk.source == "worker" and walk.checked == _all_events()
    assert run_due_verification(day, now=NOW + timedelta(hours=23)) is None
    again, _report = run_due_verification(day, now=NOW + timedelta(hours=25))
    assert again.id != walk.id
    assert db.session.execute(sa.select(sa.func.count()).select_from(ChainVerification)).scalar() == 2


def test_the_worker_loop_walks_when_it_is_due(app, start_case, driver):
    _cases(start_case, driver)
    logged, polls = [], []
    run_worker(0, walk_every=timedelta(hours=24), stop=lambda: polls.append(1) or len(polls) > 2, log=logged.append)
    # Two polls, one walk. The same rounds also escalate the steps now overdue (services/reminders.py,
    # on the real clock the demo cases' steps are long past due), which the walk counts too.
    walks = [line for line in logged if line.startswith("audit chain")]
    assert walks == [f"audit chain intact: {_all_events()} events checked"]
    assert all(line.startswith(("audit chain", "reminded ")) for line in logged)
