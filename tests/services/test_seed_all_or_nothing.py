"""`flask seed-demo` is all or nothing (issue 17): a step that fails leaves no unit, user, case or event."""
import sqlalchemy as sa

from webapp.demo import answers
from webapp.extensions import db
from webapp.models import AuditHead, HumanTask, InstanceEvent, OrgUnit, ProcessInstance, ProcessVersion, Student, User

TABLES = (OrgUnit, User, Student, ProcessInstance, HumanTask, InstanceEvent, ProcessVersion, AuditHead)


def _cli(app, *args):
    return app.test_cli_runner().invoke(args=list(args))


def _counts():
    return {table.__name__: db.session.execute(sa.select(sa.func.count()).select_from(table)).scalar()
            for table in TABLES}


def _refusing_the_first_step(monkeypatch):
    """Demo data a form refuses: the sympathiser resolution dated 31 February (data, not our code path).

    The first step of every demo case, so the seed has units, users and a started case by then.
    """
    real = answers.answers_for

    def answers_for(form_name, day, data=None):
        found = real(form_name, day, data)
        return found | {"sympathiser_resolution_date": "2026-02-31"} if form_name == "add_to_sympathiser_list" \
            else found
    monkeypatch.setattr("webapp.demo.driver.answers_for", answers_for)


def test_a_failing_step_leaves_nothing_and_says_why_then_a_second_run_works(app, monkeypatch):
    _refusing_the_first_step(monkeypatch)
    result = _cli(app, "seed-demo")
    assert result.exit_code == 1
    assert "Demo data not loaded; nothing was stored" in result.output
    assert "sympathiser_resolution_date" in result.output  # the reason: which field the form refused
    assert "Traceback" not in result.output
    db.session.remove()
    assert set(_counts().values()) == {0}, _counts()

    monkeypatch.undo()
    again = _cli(app, "seed-demo")
    assert again.exit_code == 0, again.output
    assert "77 cases" in again.output
    counts = _counts()
    assert counts["ProcessInstance"] == 77 and counts["OrgUnit"] > 10 and counts["User"] > 30
    assert "intact" in _cli(app, "audit", "verify").output


def test_a_refused_deployment_leaves_nothing_either(app, tmp_path):
    (tmp_path / "broken.bpmn").write_bytes(b"<not-bpmn/>")
    app.config["PROCESSES_DIR"], saved = tmp_path, app.config["PROCESSES_DIR"]
    try:
        result = _cli(app, "seed-demo")
    finally:
        app.config["PROCESSES_DIR"] = saved
    assert result.exit_code == 1 and "nothing was stored" in result.output
    db.session.remove()
    assert set(_counts().values()) == {0}, _counts()
