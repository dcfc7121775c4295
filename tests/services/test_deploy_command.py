"""`flask processes deploy` (issue 17): every problem on its own line with file, element and line, no
traceback, exit 1 and nothing stored; a good deployment says what was deployed."""
import re
import shutil
from pathlib import Path

import pytest
import sqlalchemy as sa

from webapp.extensions import db
from webapp.models import ProcessVersion

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture()
def folders(app, tmp_path):
    """Copies of processes/ and forms/ the command deploys from, to be broken at will."""
    processes, forms = tmp_path / "processes", tmp_path / "forms"
    shutil.copytree(ROOT / "processes", processes)
    shutil.copytree(ROOT / "forms", forms)
    saved = app.config["PROCESSES_DIR"], app.config["FORMS_DIR"]
    app.config["PROCESSES_DIR"], app.config["FORMS_DIR"] = processes, forms
    yield processes, forms
    app.config["PROCESSES_DIR"], app.config["FORMS_DIR"] = saved


def _deploy(app, *args):
    return app.test_cli_runner().invoke(args=["processes", "deploy", *args])


def _versions():
    db.session.remove()
    return db.session.execute(sa.select(ProcessVersion.number)).scalars().all()


def test_a_good_deployment_says_what_was_deployed_then_that_nothing_changed(app, folders):
    result = _deploy(app, "--comment", "Lần đầu")
    assert result.exit_code == 0, result.output + result.stderr
    assert re.match(r"^Deployed admission v1 \([0-9a-f]{12}\), now active: 4 diagram\(s\) \(admission\.bpmn, "
                    r"cell_vote\.bpmn, committee_vote\.bpmn, verify_place\.bpmn\), \d+ form\(s\)\.$",
                    result.stdout.strip()), result.stdout
    again = _deploy(app)
    assert again.exit_code == 0 and again.stdout.startswith("Nothing changed: the active version is still admission v1")
    assert _versions() == [1]


def test_a_refused_deployment_prints_one_problem_a_line_and_exits_non_zero(app, folders):
    processes, forms = folders
    diagram = (processes / "admission.bpmn").read_text(encoding="utf-8")
    diagram = diagram.replace('value="enroll_in_course.schema.json"', 'value="enroll-in-course-schema.json"', 1)
    diagram = diagram.replace(">course_passed</bpmn:conditionExpression>",
                              ">${course_passed}</bpmn:conditionExpression>")
    (processes / "admission.bpmn").write_text(diagram, encoding="utf-8")
    (forms / "hold_ceremony.schema.json").write_text('{"type": "array"}', encoding="utf-8")

    result = _deploy(app, "--comment", "Hỏng")
    assert result.exit_code == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr + result.stdout and result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert lines[0] == f"Not deployed: {len(lines) - 1} problem(s); nothing was stored."
    assert len(lines) == 4, lines
    assert any(line.startswith("hold_ceremony.schema.json: ") and "the top level must be" in line for line in lines)
    form = next(line for line in lines if "enroll-in-course-schema.json" in line)
    assert re.match(r"^admission\.bpmn, element enroll_in_course, line \d+: The form 'enroll-in-course-schema\.json' "
                    r"named by this task is not in the deployment: looked for the files "
                    r"enroll-in-course-schema\.json\.schema\.json \(its fields\) and "
                    r"enroll-in-course-schema\.json\.uischema\.json \(optional UI hints\)\. The closest form there is: "
                    r"'enroll_in_course' \(enroll_in_course\.schema\.json\)\.$", form), form
    condition = next(line for line in lines if "Camunda" in line)
    assert condition.startswith("admission.bpmn, element f09_course_passed_gateway__course_next_gateway, line ")
    assert "conditions here are Python expressions over the form fields (write course_passed)" in condition
    assert "the tasks before this gateway fill in: " in condition and "essay_score" in condition
    assert _versions() == []
