"""Diagram code written to run away is refused at deployment, tied to its element, with the why."""
import pytest
from flask_babel import force_locale

from webapp.engine import validate_files
from webapp.engine.code_checks import findings
from webapp.pages.problems import problem_text

HEAD = ('<?xml version="1.0" encoding="UTF-8"?>\n<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"'
        ' id="d" targetNamespace="https://ketnap.example/test"><bpmn:process id="p" isExecutable="true">')


def _script_diagram(script, characteristics=""):
    return (HEAD + f"""
      <bpmn:startEvent id="s"/>
      <bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="work"/>
      <bpmn:scriptTask id="work">{characteristics}<bpmn:script>{script}</bpmn:script></bpmn:scriptTask>
      <bpmn:sequenceFlow id="f2" sourceRef="work" targetRef="e"/>
      <bpmn:endEvent id="e"/></bpmn:process></bpmn:definitions>""").encode()


def _problems(script, characteristics=""):
    return validate_files({"p.bpmn": _script_diagram(script, characteristics)}, known_roles=set(), form_names=set())


REFUSED = {
    "try:\n    x = 1\nexcept:\n    pass": "code_catch_all",
    "try:\n    x = 1\nexcept Exception:\n    pass": "code_catch_all",
    "try:\n    x = 1\nexcept BaseException as e:\n    pass": "code_catch_all",
    "try:\n    x = 1\nexcept (KeyError, Exception):\n    pass": "code_catch_all",
    "while True:\n    x = 1": "code_endless_loop",
    "while 1:\n    break": "code_endless_loop",
    "while not False:\n    break": "code_endless_loop",
    "x = 10**10**10": "code_huge_number",
    "x = 2 ** 100000": "code_huge_number",
    "x = 1 &lt;&lt; 10**10": "code_huge_number",
    "x = 'a' * 10**10": "code_huge_repeat",
    "x = [0] * 10**9": "code_huge_repeat",
    "x = sum(range(3*10**8))": "code_huge_range",
    "x = sum(range(10**12))": "code_huge_range",
}
ACCEPTED = [
    "try:\n    x = int(y)\nexcept ValueError:\n    x = 0",
    "n = 0\nwhile n &lt; 3:\n    n += 1",
    "x = 2 ** 64",
    "line = '-' * 80",
    "total = sum(range(100))",
    "x = y ** 2",
]


@pytest.mark.parametrize("script", sorted(REFUSED))
def test_runaway_code_is_refused_on_its_element(script):
    problems = _problems(script)
    assert [p.code for p in problems] == [REFUSED[script]]
    assert problems[0].element_id == "work" and problems[0].file_name == "p.bpmn"


@pytest.mark.parametrize("script", ACCEPTED)
def test_ordinary_code_passes(script):
    assert _problems(script) == []


def test_a_constant_cardinality_above_the_cap_is_refused_and_a_small_one_passes():
    many = "<bpmn:multiInstanceLoopCharacteristics><bpmn:loopCardinality>{}</bpmn:loopCardinality>" \
           "</bpmn:multiInstanceLoopCharacteristics>"
    problems = _problems("x = 1", many.format("10**9"))
    assert [(p.code, p.element_id, p.params["value"]) for p in problems] == [
        ("cardinality_too_large", "work", 10 ** 9)]
    assert _problems("x = 1", many.format("3")) == []
    assert _problems("x = 1", many.format("n")) == []  # from the data: the run-time cap's business


def test_code_that_does_not_parse_is_left_to_the_compile_check():
    assert findings("script", "x = (", "exec") == []


def test_the_page_says_why_in_the_admins_language(app):
    problem = _problems("try:\n    x = 1\nexcept Exception:\n    pass")[0]
    with app.test_request_context():
        with force_locale("vi"):
            vietnamese = problem_text(problem)
        with force_locale("en"):
            english = problem_text(problem)
    assert vietnamese.startswith("Đoạn mã bắt mọi lỗi (except Exception, dòng 3)")
    assert "nuốt cả lệnh dừng" in vietnamese
    assert english.startswith("Đoạn mã") is False and "catches every error (except Exception, line 3)" in english
    assert "swallows the stop signal" in english
