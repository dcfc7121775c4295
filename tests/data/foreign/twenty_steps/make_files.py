# ruff: noqa: E501  (the diagram header is one long line, as SpiffArena writes it)
"""Writes the two-lane, 20-step SpiffArena-style diagram and its 20 form files (run once; the output is committed).

Odd steps are the cell secretary's, even steps the introducer's (two lanes, two roles). Every task
names its form by SpiffArena's convention (`formJsonSchemaFilename`), and a few carry
`instructionsForEndUser` — one with a <script> in it, which the task page must show as text.
"""
import json
from pathlib import Path
from xml.sax.saxutils import escape

HERE = Path(__file__).parent
STEPS = 20
LANES = ("cell_secretary", "introducer")
INSTRUCTIONS = {
    1: "Kiểm tra **hồ sơ** của {{ student_name }}.\n\n- Đơn\n- Lý lịch",
    2: "<script>alert('x')</script> Ghi *nhận xét* ngắn.",
    20: "Bước cuối: xác nhận hoàn tất cho {{ student_name }} ({{ step_19_note }}).",
}


def step_id(n):
    return f"step{n:02d}"


def form(n):
    name = f"step_{n:02d}_note"
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "title": f"Bước {n}", "type": "object",
            "properties": {name: {"type": "string", "maxLength": 200, "title": f"Ghi chú bước {n}"}},
            "required": [name]}


def task(n):
    lines = [f'    <bpmn:userTask id="{step_id(n)}" name="Bước {n}">', "      <bpmn:extensionElements>"]
    if n in INSTRUCTIONS:
        lines.append(f"        <spiffworkflow:instructionsForEndUser>{escape(INSTRUCTIONS[n])}"
                     "</spiffworkflow:instructionsForEndUser>")
    lines += ["        <spiffworkflow:properties>",
              f'          <spiffworkflow:property name="formJsonSchemaFilename" value="{step_id(n)}.schema.json" />',
              "        </spiffworkflow:properties>", "      </bpmn:extensionElements>",
              f"      <bpmn:incoming>flow_{n - 1}</bpmn:incoming>", f"      <bpmn:outgoing>flow_{n}</bpmn:outgoing>",
              "    </bpmn:userTask>"]
    return "\n".join(lines)


def node_ids():
    return ["start", *(step_id(n) for n in range(1, STEPS + 1)), "end"]


def flows():
    ids = node_ids()
    return "\n".join(f'    <bpmn:sequenceFlow id="flow_{i}" sourceRef="{ids[i]}" targetRef="{ids[i + 1]}" />'
                     for i in range(len(ids) - 1))


def lane_of(n):
    return LANES[(n - 1) % 2]


def diagram_shapes():
    shapes, x = [], 200
    lane_y = {LANES[0]: 60, LANES[1]: 260}
    shapes.append(f'      <bpmndi:BPMNShape id="pool_di" bpmnElement="pool" isHorizontal="true">'
                  f'<dc:Bounds x="100" y="40" width="{STEPS * 150 + 300}" height="420" /></bpmndi:BPMNShape>')
    for i, lane in enumerate(LANES):
        shapes.append(f'      <bpmndi:BPMNShape id="lane_{lane}_di" bpmnElement="lane_{lane}" isHorizontal="true">'
                      f'<dc:Bounds x="130" y="{40 + i * 210}" width="{STEPS * 150 + 270}" height="210" />'
                      "</bpmndi:BPMNShape>")
    positions = {"start": (160, 102, 36, 36)}
    for n in range(1, STEPS + 1):
        positions[step_id(n)] = (x + (n - 1) * 150, lane_y[lane_of(n)] + 40, 100, 80)
    positions["end"] = (x + STEPS * 150, lane_y[lane_of(STEPS)] + 62, 36, 36)
    for node, (bx, by, w, h) in positions.items():
        shapes.append(f'      <bpmndi:BPMNShape id="{node}_di" bpmnElement="{node}">'
                      f'<dc:Bounds x="{bx}" y="{by}" width="{w}" height="{h}" /></bpmndi:BPMNShape>')
    ids = node_ids()
    for i in range(len(ids) - 1):
        (ax, ay, aw, ah), (bx, by, _bw, bh) = positions[ids[i]], positions[ids[i + 1]]
        shapes.append(f'      <bpmndi:BPMNEdge id="flow_{i}_di" bpmnElement="flow_{i}">'
                      f'<di:waypoint x="{ax + aw}" y="{ay + ah // 2}" /><di:waypoint x="{bx}" y="{by + bh // 2}" />'
                      "</bpmndi:BPMNEdge>")
    return "\n".join(shapes)


def bpmn():
    lanes = []
    for lane in LANES:
        refs = [step_id(n) for n in range(1, STEPS + 1) if lane_of(n) == lane]
        if lane == LANES[0]:
            refs = ["start", *refs]
        else:
            refs = [*refs, "end"]
        lanes.append(f'      <bpmn:lane id="lane_{lane}" name="{lane}">\n'
                     + "\n".join(f"        <bpmn:flowNodeRef>{ref}</bpmn:flowNodeRef>" for ref in refs)
                     + "\n      </bpmn:lane>")
    return f'''<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" xmlns:di="http://www.omg.org/spec/DD/20100524/DI" xmlns:spiffworkflow="http://spiffworkflow.org/bpmn/schema/1.0/core" id="Definitions_twenty" targetNamespace="http://bpmn.io/schema/bpmn" exporter="SpiffArena" exporterVersion="0.0.1">
  <bpmn:collaboration id="collaboration">
    <bpmn:participant id="pool" name="Hai mươi bước" processRef="twenty_steps" />
  </bpmn:collaboration>
  <bpmn:process id="twenty_steps" name="Quy trình hai mươi bước" isExecutable="true">
    <bpmn:laneSet id="lanes">
{chr(10).join(lanes)}
    </bpmn:laneSet>
    <bpmn:startEvent id="start" name="Bắt đầu">
      <bpmn:outgoing>flow_0</bpmn:outgoing>
    </bpmn:startEvent>
{chr(10).join(task(n) for n in range(1, STEPS + 1))}
    <bpmn:endEvent id="end" name="Xong">
      <bpmn:incoming>flow_{STEPS}</bpmn:incoming>
    </bpmn:endEvent>
{flows()}
  </bpmn:process>
  <bpmndi:BPMNDiagram id="diagram">
    <bpmndi:BPMNPlane id="plane" bpmnElement="collaboration">
{diagram_shapes()}
    </bpmndi:BPMNPlane>
  </bpmndi:BPMNDiagram>
</bpmn:definitions>
'''


if __name__ == "__main__":
    (HERE / "twenty_steps.bpmn").write_text(bpmn(), encoding="utf-8")
    for n in range(1, STEPS + 1):
        (HERE / f"{step_id(n)}.schema.json").write_text(json.dumps(form(n), ensure_ascii=False, indent=2) + "\n",
                                                        encoding="utf-8")
