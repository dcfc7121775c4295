"""Loading diagrams (schema, structure) and the caps on instances that would run away."""
from datetime import UTC, datetime
from pathlib import Path

import pytest

from webapp.engine import CaseWorkflow, ProcessDefinitionError, RunawayInstance, load_process

ROOT = Path(__file__).resolve().parents[2]
NOW = datetime(2026, 1, 5, tzinfo=UTC)
HEAD = ('<?xml version="1.0" encoding="UTF-8"?>\n<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"'
        ' id="d" targetNamespace="https://ketnap.example/test">')


def _diagram(body, process_id="p"):
    process = f'<bpmn:process id="{process_id}" isExecutable="true">{body}</bpmn:process>'
    return f"{HEAD}{process}</bpmn:definitions>".encode()


def test_the_real_processes_load_with_their_called_processes():
    files = {p.name: p.read_bytes() for p in (ROOT / "processes").glob("*.bpmn")}
    loaded = load_process(files, "admission")
    assert set(loaded.subprocess_specs) == {"cell_vote", "committee_vote", "verify_place"}


def test_a_schema_invalid_diagram_is_refused_naming_the_file():
    broken = _diagram('<bpmn:startEvent id="s"/><bpmn:sequenceFlow id="f" sourceRef="s"/>')
    with pytest.raises(ProcessDefinitionError) as refused:
        load_process({"broken.bpmn": broken}, "p")
    assert refused.value.problems[0].file_name == "broken.bpmn"


def test_an_svg_is_not_a_process():
    svg = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><rect width="1" height="1"/></svg>'
    with pytest.raises(ProcessDefinitionError, match="not a BPMN diagram"):
        load_process({"picture.bpmn": svg}, "admission")


def test_a_deployment_without_the_process_says_which_it_found():
    with pytest.raises(ProcessDefinitionError, match=r"No executable process 'admission' .*found: p"):
        load_process({"other.bpmn": _diagram('<bpmn:startEvent id="s"/>')}, "admission")


def test_a_script_loop_without_a_person_is_stopped():
    loop = _diagram("""
      <bpmn:startEvent id="s"/>
      <bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="count"/>
      <bpmn:scriptTask id="count"><bpmn:script>n = n + 1</bpmn:script></bpmn:scriptTask>
      <bpmn:sequenceFlow id="f2" sourceRef="count" targetRef="again"/>
      <bpmn:exclusiveGateway id="again" default="f3"/>
      <bpmn:sequenceFlow id="f3" sourceRef="again" targetRef="count"/>""")
    with pytest.raises(RunawayInstance, match="engine steps"):
        CaseWorkflow.start(load_process({"loop.bpmn": loop}, "p"), {"n": 0}, now=NOW)


def test_a_call_activity_that_calls_itself_is_stopped():
    recursive = _diagram("""
      <bpmn:startEvent id="s"/>
      <bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="again"/>
      <bpmn:callActivity id="again" calledElement="p"/>
      <bpmn:sequenceFlow id="f2" sourceRef="again" targetRef="e"/>
      <bpmn:endEvent id="e"/>""")
    with pytest.raises(RunawayInstance, match="nested deeper"):
        CaseWorkflow.start(load_process({"self.bpmn": recursive}, "p"), {}, now=NOW)
