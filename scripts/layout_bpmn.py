"""Draw again the diagram interchange (DI) of BPMN files, so that no sequence flow crosses a step.

Auditors read a case's path on its diagram (the flows taken are marked): a flow drawn through a
step it does not enter reads as if the case went through that step. This lays a process out in
columns (longest path from the start, loops ignored), one band per lane, the branches of a step
stacked in rows below it, and routes every flow orthogonally through the empty gaps between
columns and between rows. Only the `bpmndi:BPMNDiagram` element is replaced; the process itself
is left byte for byte as it was.

    .venv/bin/python scripts/layout_bpmn.py processes/admission.bpmn [more.bpmn …]
"""
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from itertools import count, pairwise

from lxml import etree

BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL"
BPMNDI = "http://www.omg.org/spec/BPMN/20100524/DI"
DC = "http://www.omg.org/spec/DD/20100524/DC"
DI = "http://www.omg.org/spec/DD/20100524/DI"

TASKS = ("task", "userTask", "scriptTask", "serviceTask", "manualTask", "sendTask", "receiveTask",
         "businessRuleTask", "callActivity", "subProcess")
EVENTS = ("startEvent", "endEvent", "intermediateCatchEvent", "intermediateThrowEvent")
GATEWAYS = ("exclusiveGateway", "parallelGateway", "inclusiveGateway", "eventBasedGateway", "complexGateway")
SIZES = {**{tag: (100, 80) for tag in TASKS}, **{tag: (36, 36) for tag in EVENTS},
         **{tag: (50, 50) for tag in GATEWAYS}}

CELL_W, CELL_H = 100, 80  # the room of one step
GAP_X, GAP_Y = 90, 70  # the empty gaps the flows run in
PITCH_X, PITCH_Y = CELL_W + GAP_X, CELL_H + GAP_Y
POOL_HEADER = LANE_HEADER = 30
ORIGIN_X, ORIGIN_Y = 160, 80
#: Flows sharing a gap are drawn a few pixels apart, so that two lines never lie on each other.
SPREAD = (0, -8, 8, -16, 16, -24, 24, -32, 32)


def q(namespace, tag):
    return f"{{{namespace}}}{tag}"


@dataclass
class Node:
    id: str
    kind: str
    name: str
    lane: int
    width: int
    height: int
    host: str | None = None  # boundary events: the activity they sit on
    column: int = 0
    row: int = 0  # within its lane
    x: float = 0
    y: float = 0

    @property
    def cx(self):
        return self.x + self.width / 2

    @property
    def cy(self):
        return self.y + self.height / 2


@dataclass
class Flow:
    id: str
    source: str
    target: str
    name: str
    points: list = field(default_factory=list)


class Layout:
    def __init__(self, process, lanes):
        self.lanes = lanes  # [(lane id, {node ids})]; one unnamed lane when the process has none
        lane_of = {node_id: index for index, (_lane, members) in enumerate(lanes) for node_id in members}
        self.nodes, self.flows = {}, []
        for element in process:
            kind = etree.QName(element).localname
            if kind in SIZES:
                width, height = SIZES[kind]
                self.nodes[element.get("id")] = Node(element.get("id"), kind, element.get("name") or "",
                                                     lane_of.get(element.get("id"), 0), width, height)
            elif kind == "boundaryEvent":
                self.nodes[element.get("id")] = Node(element.get("id"), kind, element.get("name") or "",
                                                     0, 36, 36, host=element.get("attachedToRef"))
            elif kind == "sequenceFlow":
                self.flows.append(Flow(element.get("id"), element.get("sourceRef"), element.get("targetRef"),
                                       element.get("name") or ""))
        for node in self.nodes.values():
            if node.host:
                node.lane = self.nodes[node.host].lane
        self.outgoing = defaultdict(list)
        for flow in self.flows:
            self.outgoing[flow.source].append(flow)
        self.gap_use, self.channel_use = defaultdict(count), defaultdict(count)

    # -- columns and rows ------------------------------------------------------------------------
    def _successors(self, node_id):
        """Targets of the node's flows, then its boundary events (which stand in the host's column)."""
        found = [flow.target for flow in self.outgoing[node_id]]
        return found + [other.id for other in self.nodes.values() if other.host == node_id]

    def _back_flows(self):
        """Flows that close a loop, found by a depth-first walk from the start events."""
        back, state = set(), {}
        starts = [n.id for n in self.nodes.values() if n.kind == "startEvent"] or list(self.nodes)
        for start in starts:
            if start in state:
                continue
            stack = [(start, iter(self._successors(start)))]
            state[start] = "open"
            while stack:
                node_id, successors = stack[-1]
                successor = next(successors, None)
                if successor is None:
                    state[node_id] = "done"
                    stack.pop()
                elif state.get(successor) == "open":
                    back.update(f.id for f in self.outgoing[node_id] if f.target == successor)
                elif successor not in state:
                    state[successor] = "open"
                    stack.append((successor, iter(self._successors(successor))))
        return back

    def place(self):
        back = self._back_flows()
        forward = [f for f in self.flows if f.id not in back]
        predecessors = defaultdict(list)
        for flow in forward:
            predecessors[flow.target].append(flow.source)
        order = self._topological_order(predecessors)
        self._place_columns(order, predecessors)
        self._place_rows(order, predecessors, back)

    def _topological_order(self, predecessors):
        """The nodes in topological order over the forward flows (and boundary events after hosts)."""
        order, seen = [], set()

        def visit(node_id):
            if node_id in seen:
                return
            seen.add(node_id)
            node = self.nodes[node_id]
            for before in predecessors[node_id] + ([node.host] if node.host else []):
                visit(before)
            order.append(node_id)

        for node_id in self.nodes:
            visit(node_id)
        return order

    def _place_columns(self, order, predecessors):
        for node_id in order:
            node = self.nodes[node_id]
            if node.host:
                node.column = self.nodes[node.host].column
            else:
                node.column = max((self.nodes[p].column + 1 for p in predecessors[node_id]), default=0)

    def _first_row(self, node, predecessors, back):
        """The row a node would take: its first predecessor's (in the same lane), moved down by its place among
        that predecessor's successors."""
        if not predecessors[node.id]:
            return 0
        before = self.nodes[predecessors[node.id][0]]
        if before.host:
            before = self.nodes[before.host]
        if before.lane != node.lane:
            return 0
        siblings = [f.target for f in self.outgoing[before.id] if f.id not in back]
        return before.row + (siblings.index(node.id) if node.id in siblings else 0)

    def _place_rows(self, order, predecessors, back):
        taken, rank = set(), {node_id: index for index, node_id in enumerate(order)}
        for node_id in sorted(order, key=lambda n: (self.nodes[n].column, rank[n])):
            node = self.nodes[node_id]
            if node.host:
                continue
            row = self._first_row(node, predecessors, back)
            while (node.lane, row, node.column) in taken:
                row += 1
            node.row = row
            taken.add((node.lane, row, node.column))
        self.taken = taken

    # -- coordinates -------------------------------------------------------------------------------
    def measure(self):
        rows = defaultdict(int)
        for node in self.nodes.values():
            rows[node.lane] = max(rows[node.lane], node.row + 1)
        self.lane_top, self.lane_height, top = {}, {}, ORIGIN_Y
        for lane in range(len(self.lanes)):
            self.lane_top[lane], self.lane_height[lane] = top, max(1, rows[lane]) * PITCH_Y
            top += self.lane_height[lane]
        self.height = top - ORIGIN_Y
        self.columns = max(node.column for node in self.nodes.values()) + 1
        self.left = ORIGIN_X + POOL_HEADER + LANE_HEADER + GAP_X / 2
        self.width = POOL_HEADER + LANE_HEADER + self.columns * PITCH_X
        for node in self.nodes.values():
            if node.host:
                continue
            node.x = self.left + node.column * PITCH_X + (CELL_W - node.width) / 2
            node.y = self.row_top(node.lane, node.row) + (CELL_H - node.height) / 2
        per_host = defaultdict(int)
        for node in self.nodes.values():
            if node.host:
                host = self.nodes[node.host]
                node.x = host.x + host.width - node.width - 8 - per_host[host.id] * (node.width + 8)
                node.y = host.y + host.height - node.height / 2
                per_host[host.id] += 1

    def row_top(self, lane, row):
        return self.lane_top[lane] + GAP_Y / 2 + row * PITCH_Y

    def gap_x(self, column):
        """x of a vertical run in the gap after `column` (-1: before the first column)."""
        base = self.left + column * PITCH_X + CELL_W + GAP_X / 2
        return base + SPREAD[next(self.gap_use[column]) % len(SPREAD)]

    def channel_y(self, lane, row, below):
        """y of a horizontal run in the gap below (or above) a row, clear of every step."""
        base = self.row_top(lane, row) + (CELL_H + GAP_Y / 2 if below else -GAP_Y / 2)
        offset = SPREAD[1 + next(self.channel_use[(lane, row, below)]) % (len(SPREAD) - 1)]
        return base + offset

    # -- flows -------------------------------------------------------------------------------------
    def _row_free(self, lane, row, first, last):
        return all((lane, row, column) not in self.taken for column in range(first, last + 1))

    def route(self, flow):
        source, target = self.nodes[flow.source], self.nodes[flow.target]
        end = (target.x, target.cy)
        if source.host:
            host = self.nodes[source.host]
            channel = self.channel_y(host.lane, host.row, below=True)
            column = self.gap_x(target.column - 1)
            return [(source.cx, source.y + source.height), (source.cx, channel), (column, channel), (column, end[1]),
                    end]
        start = (source.x + source.width, source.cy)
        if target.column == source.column + 1:
            column = self.gap_x(source.column)
            return [start, (column, start[1]), (column, end[1]), end]
        if target.column > source.column + 1:
            if self._row_free(source.lane, source.row, source.column + 1, target.column - 1):
                column = self.gap_x(target.column - 1)
                return [start, (column, start[1]), (column, end[1]), end]
            if self._row_free(target.lane, target.row, source.column + 1, target.column - 1):
                column = self.gap_x(source.column)
                return [start, (column, start[1]), (column, end[1]), end]
        # Through a channel between rows: a long jump past busy rows, or a loop back.
        upwards = (target.lane, target.row) < (source.lane, source.row)
        channel = self.channel_y(source.lane, source.row, below=not upwards)
        first, last = self.gap_x(source.column), self.gap_x(target.column - 1)
        return [start, (first, start[1]), (first, channel), (last, channel), (last, end[1]), end]

    def route_all(self):
        for flow in self.flows:
            flow.points = _simplified(self.route(flow))


def _simplified(points):
    """Without repeated points, or middle points of straight runs."""
    kept = []
    for point in points:
        if kept and point == kept[-1]:
            continue
        if len(kept) >= 2 and (kept[-2][0] == kept[-1][0] == point[0] or kept[-2][1] == kept[-1][1] == point[1]):
            kept[-1] = point
            continue
        kept.append(point)
    return kept


def _flow_label(flow):
    """Beside the flow's first vertical run (branches leave a gateway together), else above its start."""
    for (x1, y1), (x2, y2) in pairwise(flow.points):
        if x1 == x2 and abs(y2 - y1) >= 30:
            return x1 + 4, (y1 + y2) / 2 - 7, 80, 14
    (x, y), _next = flow.points[0], flow.points[1]
    return x + 4, y - 18, 80, 14


def _bounds(parent, x, y, width, height):
    etree.SubElement(parent, q(DC, "Bounds"), x=f"{x:g}", y=f"{y:g}", width=f"{width:g}", height=f"{height:g}")


def _draw_pool(plane, participant, lanes, layout):
    """The pool of the collaboration's participant and its lanes."""
    shape = etree.SubElement(plane, q(BPMNDI, "BPMNShape"), id=f"{participant.get('id')}_di",
                             bpmnElement=participant.get("id"), isHorizontal="true")
    _bounds(shape, ORIGIN_X, ORIGIN_Y, layout.width, layout.height)
    for index, (lane_id, _members) in enumerate(lanes):
        if lane_id is None:
            continue
        shape = etree.SubElement(plane, q(BPMNDI, "BPMNShape"), id=f"{lane_id}_di", bpmnElement=lane_id,
                                 isHorizontal="true")
        _bounds(shape, ORIGIN_X + POOL_HEADER, layout.lane_top[index], layout.width - POOL_HEADER,
                layout.lane_height[index])


def _draw_elements(plane, layout):
    """Every node's shape and every flow's waypoints, with their labels."""
    for node in layout.nodes.values():
        shape = etree.SubElement(plane, q(BPMNDI, "BPMNShape"), id=f"{node.id}_di", bpmnElement=node.id)
        if node.kind == "subProcess":
            shape.set("isExpanded", "false")
        _bounds(shape, node.x, node.y, node.width, node.height)
        if node.name and (node.kind in EVENTS or node.kind in GATEWAYS or node.host):
            _bounds(etree.SubElement(shape, q(BPMNDI, "BPMNLabel")), node.cx - 50, node.y + node.height + 4, 100, 27)
    for flow in layout.flows:
        edge = etree.SubElement(plane, q(BPMNDI, "BPMNEdge"), id=f"{flow.id}_di", bpmnElement=flow.id)
        for x, y in flow.points:
            etree.SubElement(edge, q(DI, "waypoint"), x=f"{x:g}", y=f"{y:g}")
        if flow.name:
            _bounds(etree.SubElement(edge, q(BPMNDI, "BPMNLabel")), *_flow_label(flow))


def draw(path):
    tree = etree.parse(path)
    root = tree.getroot()
    processes = root.findall(q(BPMN, "process"))
    if len(processes) != 1:
        raise SystemExit(f"{path}: one process per file is laid out, found {len(processes)}")
    process = processes[0]
    lane_elements = process.findall(f"{q(BPMN, 'laneSet')}/{q(BPMN, 'lane')}")
    lanes = [(lane.get("id"), {ref.text.strip() for ref in lane.findall(q(BPMN, "flowNodeRef"))})
             for lane in lane_elements] or [(None, set())]
    layout = Layout(process, lanes)
    layout.place()
    layout.measure()
    layout.route_all()

    collaboration = root.find(q(BPMN, "collaboration"))
    participant = None
    if collaboration is not None:
        participant = next((p for p in collaboration.findall(q(BPMN, "participant"))
                            if p.get("processRef") == process.get("id")), None)
    for old in root.findall(q(BPMNDI, "BPMNDiagram")):
        root.remove(old)
    diagram = etree.SubElement(root, q(BPMNDI, "BPMNDiagram"), nsmap={"bpmndi": BPMNDI, "dc": DC, "di": DI},
                               id=f"{process.get('id')}_diagram")
    plane = etree.SubElement(diagram, q(BPMNDI, "BPMNPlane"), id=f"{process.get('id')}_plane",
                             bpmnElement=collaboration.get("id") if participant is not None else process.get("id"))
    if participant is not None:
        _draw_pool(plane, participant, lanes, layout)
    _draw_elements(plane, layout)
    etree.indent(diagram, space="  ", level=1)
    diagram.tail = "\n"
    tree.write(path, xml_declaration=True, encoding="UTF-8")


if __name__ == "__main__":
    for bpmn_file in sys.argv[1:]:
        draw(bpmn_file)
        print(f"laid out {bpmn_file}")
