"""Tamper evidence: editing or deleting any audit row is found, and named, by `flask audit verify`."""
import sqlalchemy as sa

from webapp.extensions import db
from webapp.services import verify_chain

from .helpers import events


def _case_with_history(start_case, driver):
    case = start_case()
    driver.run(case.id, until="write_application")
    return case


def _run_cli(app, *args):
    return app.test_cli_runner().invoke(args=list(args))


def test_an_untouched_chain_verifies(start_case, driver, app):
    _case_with_history(start_case, driver)
    report = verify_chain()
    assert report.intact and report.checked == len(db.session.execute(sa.text("SELECT id FROM instance_event")).all())
    result = _run_cli(app, "audit", "verify")
    assert result.exit_code == 0 and "intact" in result.output


def test_an_edited_middle_row_is_named(start_case, driver, app):
    case = _case_with_history(start_case, driver)
    middle = events(case.id, "task_completed")[1]
    db.session.execute(sa.text("UPDATE instance_event SET actor_name = 'Người khác' WHERE seq = :s"),
                       {"s": middle.seq})
    db.session.commit()
    report = verify_chain()
    assert (report.first_broken_seq, report.reason) == (middle.seq, "its content does not match its hash (edited)")
    result = _run_cli(app, "audit", "verify")
    assert result.exit_code == 1
    assert f"BROKEN at event {middle.seq}" in result.output


def test_an_edited_payload_is_found_even_with_its_hash_recomputed_without_the_key(start_case, driver):
    case = _case_with_history(start_case, driver)
    middle = events(case.id, "task_completed")[2]
    db.session.execute(sa.text("UPDATE instance_event SET hash = :h WHERE seq = :s"),
                       {"h": "f" * 64, "s": middle.seq})
    db.session.commit()
    assert verify_chain().first_broken_seq == middle.seq


def test_a_deleted_middle_row_is_named(start_case, driver, app):
    case = _case_with_history(start_case, driver)
    seq = events(case.id, "task_completed")[1].seq
    db.session.execute(sa.text("DELETE FROM instance_event WHERE seq = :s"), {"s": seq})
    db.session.commit()
    report = verify_chain()
    assert report.first_broken_seq == seq and "missing" in report.reason
    assert f"BROKEN at event {seq}" in _run_cli(app, "audit", "verify").output


def test_a_deleted_last_row_is_found(start_case, driver):
    _case_with_history(start_case, driver)
    last = db.session.execute(sa.text("SELECT max(seq) FROM instance_event")).scalar()
    db.session.execute(sa.text("DELETE FROM instance_event WHERE seq = :s"), {"s": last})
    db.session.commit()
    report = verify_chain()
    assert report.first_broken_seq == last and "deleted at the end" in report.reason
