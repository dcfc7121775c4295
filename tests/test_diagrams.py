"""The drawings of the procedure: what an auditor reads a case's path on.

Every element is drawn, no two steps overlap, and no sequence flow crosses a step it does not
enter (on the case's diagram a taken flow drawn through a step reads as if the case went through
it). The diagrams are drawn by scripts/layout_bpmn.py, which changes nothing but the drawing.
"""
import importlib.util
import re
import shutil
from itertools import pairwise
from pathlib import Path

import pytest
from lxml import etree

ROOT = Path(__file__).resolve().parent.parent
DIAGRAMS = sorted((ROOT / "processes").glob("*.bpmn"))
NS = {"bpmn": "http://www.omg.org/spec/BPMN/20100524/MODEL", "bpmndi": "http://www.omg.org/spec/BPMN/20100524/DI",
      "dc": "http://www.omg.org/spec/DD/20100524/DC", "di": "http://www.omg.org/spec/DD/20100524/DI"}


def _drawing(path):
    """({step id: (x, y, w, h)}, [(flow id, source, target, [(x, y), …])], ids that must be drawn,
    {boundary event: the step it sits on})."""
    root = etree.parse(str(path)).getroot()
    containers = {e.get("id") for e in root.xpath("//bpmn:lane | //bpmn:participant", namespaces=NS)}
    steps = {}
    for shape in root.xpath("//bpmndi:BPMNShape", namespaces=NS):
        if shape.get("bpmnElement") not in containers:
            bounds = shape.find("dc:Bounds", NS)
            steps[shape.get("bpmnElement")] = tuple(float(bounds.get(k)) for k in ("x", "y", "width", "height"))
    ends = {f.get("id"): (f.get("sourceRef"), f.get("targetRef")) for f in root.xpath("//bpmn:sequenceFlow",
                                                                                      namespaces=NS)}
    flows = [(edge.get("bpmnElement"), *ends[edge.get("bpmnElement")],
              [(float(w.get("x")), float(w.get("y"))) for w in edge.findall("di:waypoint", NS)])
             for edge in root.xpath("//bpmndi:BPMNEdge", namespaces=NS)]
    nodes = root.xpath("//bpmn:process/*[not(self::bpmn:laneSet) and not(self::bpmn:sequenceFlow) and "
                       "not(self::bpmn:extensionElements) and not(self::bpmn:documentation) and "
                       "not(self::bpmn:dataObject) and not(self::bpmn:dataObjectReference)]", namespaces=NS)
    attached = {e.get("id"): e.get("attachedToRef") for e in root.xpath("//bpmn:boundaryEvent", namespaces=NS)}
    return steps, flows, {n.get("id") for n in nodes} | set(ends), attached


def _crosses(segment, box):
    (x1, y1), (x2, y2) = segment
    x, y, width, height = box
    return min(x1, x2) < x + width - 1 and max(x1, x2) > x + 1 and min(y1, y2) < y + height - 1 and max(y1, y2) > y + 1


def _problems(path):
    steps, flows, drawn, attached = _drawing(path)
    problems = [f"{element} is not drawn" for element in sorted(drawn - set(steps) - {f[0] for f in flows})]
    boxes = sorted(steps.items())
    for index, (one, a) in enumerate(boxes):
        for other, b in boxes[index + 1:]:
            sits_on = attached.get(one) == other or attached.get(other) == one
            if a[0] < b[0] + b[2] and b[0] < a[0] + a[2] and a[1] < b[1] + b[3] and b[1] < a[1] + a[3] and not sits_on:
                problems.append(f"{one} overlaps {other}")
    for flow_id, source, target, points in flows:
        for segment in pairwise(points):
            for step, box in steps.items():
                if step not in (source, target) and _crosses(segment, box):
                    problems.append(f"{flow_id} crosses {step}")
    return problems


@pytest.mark.parametrize("path", DIAGRAMS, ids=[p.name for p in DIAGRAMS])
def test_every_diagram_is_drawn_without_a_flow_through_a_step(path):
    assert _problems(path) == []


def test_the_layout_tool_changes_only_the_drawing(tmp_path):
    spec = importlib.util.spec_from_file_location("layout_bpmn", ROOT / "scripts" / "layout_bpmn.py")
    layout = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(layout)
    copy = tmp_path / "admission.bpmn"
    shutil.copyfile(ROOT / "processes" / "admission.bpmn", copy)
    # Scramble the drawing first: every step and every bend at the same place.
    text = copy.read_text()
    cut = text.index("<bpmndi:BPMNDiagram")
    copy.write_text(text[:cut] + re.sub(r' ([xy])="[0-9.]+"', r' \1="100"', text[cut:]))
    assert _problems(copy) != []
    layout.draw(str(copy))
    before, after = (ROOT / "processes" / "admission.bpmn").read_text(), copy.read_text()
    assert after[:after.index("<bpmndi:BPMNDiagram")] == before[:before.index("<bpmndi:BPMNDiagram")]
    assert _problems(copy) == []
