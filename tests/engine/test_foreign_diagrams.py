"""Diagrams from other modelers (issue 9): what a deployment refuses, says once, and runs.

Each test states its small world: one process `demo` with a cell-secretary lane, the form
`hold_ceremony`, and whatever the finding needs.
"""
import codecs
from datetime import datetime
from itertools import pairwise
from pathlib import Path

import pytest

from webapp.engine import CaseWorkflow, load_process, validate_files
from webapp.engine.bpmn_tree import BPMN
from webapp.engine.encoding import as_utf8
from webapp.engine.markup import foreign_markup_problems
from webapp.engine.xmlsafe import parse_xml

DATA = Path(__file__).resolve().parents[1] / "data" / "foreign"
PROCESSES = Path(__file__).resolve().parents[2] / "processes"
NOW = datetime(2026, 12, 3, 9, 0)
ROLES = {"cell_secretary"}
FORMS = {"hold_ceremony"}
HEAD = ('<?xml version="1.0" encoding="UTF-8"?>\n<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/'
        'MODEL" xmlns:spiffworkflow="http://spiffworkflow.org/bpmn/schema/1.0/core" {extra} id="defs" '
        'targetNamespace="http://bpmn.io/schema/bpmn">')
FLOW = '<bpmn:sequenceFlow id="{id}" sourceRef="{a}" targetRef="{b}"/>'


def diagram(body, process_id="demo", extra=""):
    """A process start → {body's first node …} → end; body names its nodes n1, n2 … in order."""
    return (HEAD.format(extra=extra) + f'<bpmn:process id="{process_id}" isExecutable="true">'
            '<bpmn:startEvent id="start"/>' + body + '<bpmn:endEvent id="end"/></bpmn:process></bpmn:definitions>'
            ).encode()


def chain(*nodes):
    """Nodes (XML strings with ids n1, n2, …) joined start → n1 → … → end by flows."""
    ids = ["start", *(f"n{i}" for i in range(1, len(nodes) + 1)), "end"]
    flows = "".join(FLOW.format(id=f"f{i}", a=a, b=b) for i, (a, b) in enumerate(pairwise(ids)))
    return "".join(nodes) + flows


def problems(files, main="demo"):
    return [(p.code, p.element_id, p.file_name) for p in
            validate_files(files, known_roles=ROLES, form_names=FORMS, main_process=main)]


SCRIPT = '<bpmn:scriptTask id="{id}"><bpmn:script>x = 1</bpmn:script></bpmn:scriptTask>'
RULE_TASK = ('<bpmn:businessRuleTask id="n1" name="Xếp giai đoạn"><bpmn:extensionElements>'
             '<spiffworkflow:calledDecisionId>course_stage</spiffworkflow:calledDecisionId>'
             '</bpmn:extensionElements></bpmn:businessRuleTask>')


def test_a_plain_script_world_passes():
    assert problems({"demo.bpmn": diagram(chain(SCRIPT.format(id="n1")))}) == []


# --- 1. DMN ---------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("attempts, label", [(0, "chưa học"), (2, "học lại")])
def test_a_business_rule_task_with_its_dmn_deploys_and_runs(attempts, label):
    files = {"demo.bpmn": diagram(chain(RULE_TASK)), "course_stage.dmn": (DATA / "course_stage.dmn").read_bytes()}
    assert problems(files) == []
    case = CaseWorkflow.start(load_process(files, "demo"), {"course_attempts": attempts}, now=NOW)
    assert case.completed
    assert case.facts()["course_stage_label"] == label  # the cells were evaluated by the script engine
    assert [step.spec_name for step in case.steps if step.kind == "BusinessRuleTask"] == ["n1"]


def test_a_business_rule_task_without_its_dmn_is_refused_once_naming_the_decision():
    found = validate_files({"demo.bpmn": diagram(chain(RULE_TASK))}, known_roles=ROLES, form_names=FORMS,
                           main_process="demo")
    assert [(p.code, p.element_id, p.params["decision"]) for p in found] == [("unknown_decision", "n1",
                                                                              "course_stage")]


SVG = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
BPMN_AS_DMN = diagram(chain(SCRIPT.format(id="n1")), process_id="other")


@pytest.mark.parametrize("content", [SVG, BPMN_AS_DMN, b"<definitions/>"])
def test_anything_but_dmn_named_dmn_is_refused(content):
    files = {"demo.bpmn": diagram(chain(SCRIPT.format(id="n1"))), "rules.dmn": content}
    assert problems(files) == [("not_dmn", None, "rules.dmn")]


def test_a_dmn_cell_is_compiled_under_the_script_restrictions():
    dmn = (DATA / "course_stage.dmn").read_bytes().replace(b'"h\xe1\xbb\x8dc l\xe1\xba\xa1i"', b"().__class__")
    files = {"demo.bpmn": diagram(chain(RULE_TASK)), "course_stage.dmn": dmn}
    assert problems(files) == [("code_underscore_attribute", "rule_again_out", "course_stage.dmn")]


def test_a_dmn_file_with_a_schema_error_is_said_in_dmn_words():
    dmn = (DATA / "course_stage.dmn").read_bytes().replace(b'hitPolicy="UNIQUE"', b'hitPolicy="SOMETIMES"')
    found = validate_files({"demo.bpmn": diagram(chain(RULE_TASK)), "course_stage.dmn": dmn}, known_roles=ROLES,
                           form_names=FORMS, main_process="demo")
    assert [(p.code, p.params["attribute"], p.params["value"]) for p in found] == [
        ("schema_dmn_bad_value", "hitPolicy", "SOMETIMES")]
    assert "SOMETIMES" in found[0].params["detail"]


# --- 2. steps nobody can do -----------------------------------------------------------------------------------------

LANE = ('<bpmn:laneSet id="ls"><bpmn:lane id="lane" name="cell_secretary"><bpmn:flowNodeRef>n1</bpmn:flowNodeRef>'
        '</bpmn:lane></bpmn:laneSet>')


@pytest.mark.parametrize("node, code", [
    ('<bpmn:task id="n1" name="Làm gì đó"/>', "plain_task"),
    ('<bpmn:manualTask id="n1" name="Ký giấy"/>', "task_without_form"),
    ('<bpmn:userTask id="n1" name="Điền"/>', "task_without_form"),
    ('<bpmn:serviceTask id="n1" name="Gọi API"/>', "service_task"),
])
def test_a_step_nobody_could_finish_is_refused(node, code):
    assert problems({"demo.bpmn": diagram(LANE + chain(node))}) == [(code, "n1", "demo.bpmn")]


def test_a_manual_task_with_a_form_passes():
    form = ('<bpmn:manualTask id="n1" name="Ký giấy"><bpmn:extensionElements><spiffworkflow:properties>'
            '<spiffworkflow:property name="formJsonSchemaFilename" value="hold_ceremony.schema.json"/>'
            '</spiffworkflow:properties></bpmn:extensionElements></bpmn:manualTask>')
    assert problems({"demo.bpmn": diagram(LANE + chain(form))}) == []


# --- 3. event subprocesses, 4. empty timers -------------------------------------------------------------------------

EVENT_SUBPROCESS = ('<bpmn:subProcess id="on_timeout" triggeredByEvent="true"><bpmn:startEvent id="es">'
                    '<bpmn:timerEventDefinition id="es_def"><bpmn:timeDuration>"PT1H"</bpmn:timeDuration>'
                    '</bpmn:timerEventDefinition></bpmn:startEvent>'
                    '<bpmn:scriptTask id="es_script"><bpmn:script>timed_out = True</bpmn:script></bpmn:scriptTask>'
                    '<bpmn:endEvent id="ee"/><bpmn:sequenceFlow id="ef1" sourceRef="es" targetRef="es_script"/>'
                    '<bpmn:sequenceFlow id="ef2" sourceRef="es_script" targetRef="ee"/></bpmn:subProcess>')


def test_an_event_subprocess_is_reachable_and_loads():
    files = {"demo.bpmn": diagram(chain(SCRIPT.format(id="n1")) + EVENT_SUBPROCESS)}
    assert problems(files) == []
    assert "on_timeout" in load_process(files, "demo").spec.task_specs


def test_link_events_join_what_they_link():
    throw = ('<bpmn:intermediateThrowEvent id="n1"><bpmn:linkEventDefinition id="l1" name="go"/>'
             '</bpmn:intermediateThrowEvent>')
    catch = ('<bpmn:intermediateCatchEvent id="c1"><bpmn:linkEventDefinition id="l2" name="go"/>'
             '</bpmn:intermediateCatchEvent><bpmn:scriptTask id="s1"><bpmn:script>x = 1</bpmn:script></bpmn:scriptTask>'
             '<bpmn:endEvent id="e2"/>' + FLOW.format(id="g1", a="c1", b="s1") + FLOW.format(id="g2", a="s1", b="e2"))
    body = throw + catch + FLOW.format(id="f0", a="start", b="n1")
    xml = (HEAD.format(extra="") + '<bpmn:process id="demo" isExecutable="true"><bpmn:startEvent id="start"/>' + body
           + '</bpmn:process></bpmn:definitions>').encode()
    assert problems({"demo.bpmn": xml}) == []


@pytest.mark.parametrize("definition", [
    '<bpmn:timerEventDefinition id="n1_def"/>',  # what bpmn-js leaves until the time is filled in
    '<bpmn:timerEventDefinition id="n1_def"><bpmn:timeDuration></bpmn:timeDuration></bpmn:timerEventDefinition>',
])
def test_an_empty_timer_is_said_once_on_its_event(definition):
    event = f'<bpmn:intermediateCatchEvent id="n1" name="Chờ">{definition}</bpmn:intermediateCatchEvent>'
    found = problems({"demo.bpmn": diagram(chain(event))})
    assert len(found) == 1 and found[0][1:] == ("n1", "demo.bpmn") and found[0][0] in ("timer_missing", "code_empty")


# --- 6. duplicate ids, 7. processes nothing starts ------------------------------------------------------------------

def test_a_duplicate_process_id_is_said_once_naming_both_files():
    files = {"demo.bpmn": diagram(chain(SCRIPT.format(id="n1"))), "copy.bpmn": diagram(chain(SCRIPT.format(id="n1")))}
    found = validate_files(files, known_roles=ROLES, form_names=FORMS, main_process="demo")
    assert [(p.code, p.params["files"]) for p in found] == [("duplicate_process", "copy.bpmn, demo.bpmn")]


def test_a_process_nothing_calls_is_accepted_as_one_an_administrator_may_open_for_starting():
    # Issue 17: a second top-level process is no longer refused; admin/processes/startable opens it.
    files = {"demo.bpmn": diagram(chain(SCRIPT.format(id="n1"))),
             "leave.bpmn": diagram(chain(SCRIPT.format(id="n1")), process_id="leave_request")}
    assert validate_files(files, known_roles=ROLES, form_names=FORMS, main_process="demo") == []
    call = ('<bpmn:callActivity id="n1" calledElement="leave_request"/>')
    files["demo.bpmn"] = diagram(chain(call))
    assert problems(files) == []


# --- 5. encodings ---------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("encoding, bom", [("utf-16", b""), ("utf-16-le", codecs.BOM_UTF16_LE),
                                           ("utf-16-be", codecs.BOM_UTF16_BE), ("utf-8", codecs.BOM_UTF8),
                                           ("windows-1258", b""), ("iso-8859-1", b"")])
def test_a_file_in_another_encoding_is_stored_as_utf8(encoding, bom):
    name = "Bí thư" if encoding != "iso-8859-1" else "Bí thù"
    text = diagram(chain(SCRIPT.format(id="n1").replace("<bpmn:scriptTask ", f'<bpmn:scriptTask name="{name}" ')))
    text = text.decode().replace('encoding="UTF-8"', f'encoding="{encoding}"')
    converted = as_utf8(bom + text.encode(encoding))
    assert converted.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    assert f'name="{name}"'.encode() in converted
    assert problems({"demo.bpmn": converted}) == []


def test_bytes_that_lie_about_their_encoding_are_refused_not_garbled():
    text = diagram(chain(SCRIPT.format(id="n1"))).replace(b'encoding="UTF-8"', b'encoding="utf-16"')
    assert as_utf8(text) == text  # cannot be decoded as it says: left for the parser to refuse
    assert [code for code, *_ in problems({"demo.bpmn": text})] in (["not_utf8"], ["not_stored_utf8"], ["not_xml"])


# --- 9. foreign markup ----------------------------------------------------------------------------------------------

HTML = 'xmlns:html="http://www.w3.org/1999/xhtml" xmlns:svg="http://www.w3.org/2000/svg"'
CAMUNDA = 'xmlns:camunda="http://camunda.org/schema/1.0/bpmn"'


@pytest.mark.parametrize("node, extra, code", [
    ('<bpmn:scriptTask id="n1"><bpmn:documentation><html:script>fetch("/cases/2")</html:script></bpmn:documentation>'
     '<bpmn:script>x = 1</bpmn:script></bpmn:scriptTask>', HTML, "foreign_markup"),
    ('<bpmn:scriptTask id="n1"><bpmn:documentation>Xem <html:img src="x" onerror="alert(1)"/></bpmn:documentation>'
     '<bpmn:script>x = 1</bpmn:script></bpmn:scriptTask>', HTML, "foreign_markup"),
    ('<bpmn:scriptTask id="n1"><bpmn:extensionElements><svg:svg><svg:script>alert(1)</svg:script></svg:svg>'
     '</bpmn:extensionElements><bpmn:script>x = 1</bpmn:script></bpmn:scriptTask>', HTML, "foreign_markup"),
    ('<bpmn:scriptTask id="n1"><bpmn:extensionElements><camunda:inputOutput/></bpmn:extensionElements>'
     '<bpmn:script>x = 1</bpmn:script></bpmn:scriptTask>', CAMUNDA, "foreign_markup"),
    ('<bpmn:scriptTask id="n1"><bpmn:documentation><?php system("id") ?></bpmn:documentation>'
     '<bpmn:script>x = 1</bpmn:script></bpmn:scriptTask>', "", "processing_instruction"),
    ('<bpmn:scriptTask id="n1" html:onclick="alert(1)"><bpmn:script>x = 1</bpmn:script></bpmn:scriptTask>', HTML,
     "foreign_attribute"),
])
def test_foreign_markup_is_refused_on_the_step_it_was_pasted_into(node, extra, code):
    found = problems({"demo.bpmn": diagram(chain(node), extra=extra)})
    assert found == [(code, "n1", "demo.bpmn")]


def test_a_stylesheet_instruction_before_the_root_is_refused():
    xml = diagram(chain(SCRIPT.format(id="n1"))).replace(b"?>\n", b'?>\n<?xml-stylesheet type="text/xsl" href="x"?>',
                                                          1)
    assert problems({"demo.bpmn": xml}) == [("processing_instruction", None, "demo.bpmn")]


def test_the_projects_own_diagrams_and_a_spiffarena_diagram_are_not_foreign():
    for path in [*PROCESSES.glob("*.bpmn"), *DATA.glob("*.bpmn"), *DATA.glob("*.dmn")]:
        assert foreign_markup_problems(parse_xml(path.read_bytes(), file_name=path.name), path.name) == [], path
    files = {"spiffarena_style.bpmn": (DATA / "spiffarena_style.bpmn").read_bytes()}
    assert problems(files, main="spiffarena_style") == []
    case = CaseWorkflow.start(load_process(files, "spiffarena_style"), {"full_name": "An"}, now=NOW)
    assert [task.spec_name for task in case.ready_user_tasks()] == ["confirm"]
    assert BPMN in files["spiffarena_style.bpmn"].decode()


# --- 8. the libraries' words become codes; the original stays as the detail ----------------------------------------

GATEWAY = ('<bpmn:exclusiveGateway id="n1"/>' + FLOW.format(id="f0", a="start", b="n1")
           + "".join(f'<bpmn:scriptTask id="{t}"><bpmn:script>x = 1</bpmn:script></bpmn:scriptTask>'
                     + FLOW.format(id=f"to_{t}", a="n1", b=t) + FLOW.format(id=f"from_{t}", a=t, b="end")
                     for t in ("a", "b")))


@pytest.mark.parametrize("body, code", [
    (chain('<bpmn:scriptTask id="n1"><bpmn:script></bpmn:script></bpmn:scriptTask>'), "script_missing"),
    (chain('<bpmn:scriptTask id="n1"/>'), "script_missing"),
    (chain('<bpmn:intermediateCatchEvent id="n1"><bpmn:timerEventDefinition><bpmn:timeDuration>"P1X"'
           '</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>'), "timer_invalid"),
    (chain('<bpmn:intermediateCatchEvent id="n1"><bpmn:timerEventDefinition><bpmn:timeDate>2026-13-45'
           '</bpmn:timeDate></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>'), "timer_invalid"),
    (GATEWAY, "flow_without_condition"),  # said on the first flow out of the gateway
])
def test_what_the_libraries_refuse_is_given_a_code(body, code):
    found = validate_files({"demo.bpmn": diagram(body)}, known_roles=ROLES, form_names=FORMS, main_process="demo")
    assert [(p.code, p.element_id) for p in found] == [(code, "to_a" if code == "flow_without_condition" else "n1")]
    if code != "script_missing":  # our own finding; the others keep the library's words as the detail
        assert found[0].params["detail"] and found[0].params["detail"] in found[0].message
