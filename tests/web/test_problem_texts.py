"""Deployment problems are shown in the reader's language: every problem the engine names has a text."""
import re
from pathlib import Path

import pytest

from webapp.engine.library_messages import CODES as LIBRARY_CODES
from webapp.pages.problems import PROBLEM_TEXTS, problem_text
from webapp.services.versions import deployment_problems, files_from_directories

ROOT = Path(__file__).resolve().parents[2]
BROKEN = [
    lambda x: x.replace('name="cell_secretary"', 'name="secretary"'),
    lambda x: x.replace('value="nominate_student.schema.json"', 'value="missing_form.schema.json"'),
    lambda x: x.replace("course_attempts = 0", "import os"),
    lambda x: x.replace("majority_month + 'T00:00:00+07:00'", " "),
    lambda x: x.replace('sourceRef="nominate_student" targetRef="add_to_sympathiser_list"',
                        'sourceRef="nominate_student" targetRef="end_closed"'),
    lambda x: x.replace('calledElement="cell_vote"', 'calledElement="admission"', 1),
    lambda x: x.replace('calledElement="committee_vote"', 'calledElement="no_such_process"', 1),
    lambda x: x.replace('<bpmn:userTask id="enroll_in_course"', '<bpmn:userTask id="enroll_in_course" bogus="1"'),
    lambda x: x.replace('isExecutable="true"', 'isExecutable="false"'),
    lambda x: "<svg/>",
    lambda x: "",
]


@pytest.mark.parametrize("change", BROKEN)
def test_each_problem_is_said_in_vietnamese(app, change):
    files = files_from_directories(ROOT / "processes", ROOT / "forms")
    files["admission.bpmn"] = change(files["admission.bpmn"].decode()).encode()
    problems = deployment_problems(files)
    assert problems
    with app.test_request_context("/"):  # the reader's language comes with a request
        for problem in problems:
            assert problem.code in PROBLEM_TEXTS, problem
            assert problem_text(problem) != problem.message, problem


def test_every_code_the_engine_gives_has_a_text():
    source = "\n".join(path.read_text() for path in [*(ROOT / "webapp" / "engine").glob("*.py"),
                                                      ROOT / "webapp" / "services" / "versions.py"])
    checks = "\n".join((ROOT / "webapp" / "engine" / f"{module}.py").read_text()
                       for module in ("validation", "element_checks", "code_problems", "flow_checks"))
    given = set(re.findall(r'code="(\w+)"', source)) | set(re.findall(r'\bname,\s+"(\w+)"', checks))
    given |= LIBRARY_CODES | {"form_pattern"}
    assert given and given <= set(PROBLEM_TEXTS), given - set(PROBLEM_TEXTS)
