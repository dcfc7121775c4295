"""What changed between two versions of one BPMN file, element by element (issue 15).

The two files are read with the hardened parser (`xmlsafe.parse_xml`: no DOCTYPE, no entities, no
network) and only read: nothing in them is evaluated, compiled or fetched. Elements are matched by
their `id`; for each element we compare what a modeller changes on purpose — its kind, its name, its
lane, its code (scripts, pre/post-scripts, conditions, timer expressions, multi-instance
expressions), its properties (`spiffworkflow:properties`, form references, called process, other
attributes) and, for flows, what it connects. The diagram interchange (positions, sizes, waypoints)
is left out: moving a shape changes nothing that runs.
"""
from dataclasses import dataclass

from .xmlsafe import parse_xml

BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL"
SPIFF = "http://spiffworkflow.org/bpmn/schema/1.0/core"
#: Parents whose children with an id are elements of their own (a task of a sub-process is its own row).
_CONTAINERS = {"definitions", "process", "subProcess", "transaction", "adHocSubProcess", "collaboration",
               "laneSet", "lane", "childLaneSet"}
#: Elements whose text is code the engine runs (the script engine, never here).
_CODE_TAGS = {"script", "conditionExpression", "timeDate", "timeDuration", "timeCycle", "preScript",
              "postScript", "loopCardinality", "completionCondition", "condition", "loopDataInputRef",
              "inputDataItem", "outputDataItem"}
_CONNECTION_ATTRIBUTES = ("sourceRef", "targetRef", "attachedToRef")
#: The aspects of a change, in the order the page lists them.
ASPECTS = ("kind", "name", "lane", "code", "properties", "connections", "documentation")


@dataclass(frozen=True)
class ElementChange:
    element_id: str
    kind: str  # the BPMN element's local name: userTask, sequenceFlow, lane…
    name: str  # the name in the new version (the old one when removed)
    status: str  # added, removed, changed
    aspects: tuple = ()  # for "changed": which of ASPECTS differ
    before: str = ""  # the old name, when the name changed


@dataclass(frozen=True)
class DiagramDiff:
    file_name: str
    changes: tuple  # ElementChange, in document order of the new file, then the removed ones

    def ids(self, status):
        return [change.element_id for change in self.changes if change.status == status]


def _local(tag):
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _text(element):
    return " ".join("".join(element.itertext()).split())


def _tracked(element):
    """Whether `element` is compared as an element of its own: a BPMN element with an id in a container."""
    parent = element.getparent()
    return (isinstance(element.tag, str) and element.tag.startswith(f"{{{BPMN}}}") and bool(element.get("id"))
            and parent is not None and _local(parent.tag) in _CONTAINERS)


def _lanes(root):
    """{flow node id: lane name} from every lane's flowNodeRef."""
    lanes = {}
    for lane in root.iter(f"{{{BPMN}}}lane"):
        for ref in lane.findall(f"{{{BPMN}}}flowNodeRef"):
            if ref.text and ref.text.strip():
                lanes[ref.text.strip()] = lane.get("name") or lane.get("id") or ""
    return lanes


def _code_and_properties(element):
    """(code: {where: text}, properties: {name: value}, documentation) of one element, its own subtree only."""
    code, properties, documentation = {}, {}, []
    stack = [child for child in element if isinstance(child.tag, str)]  # comments and instructions aside
    while stack:
        child = stack.pop(0)
        name = _local(child.tag)
        if _tracked(child):
            continue  # an element of its own (a task inside a sub-process, a lane of a lane set)
        if name in ("flowNodeRef", "incoming", "outgoing"):
            continue  # lanes and connections are compared apart
        if name == "documentation":
            documentation.append(_text(child))
        elif name in _CODE_TAGS:
            code[f"{name}:{len(code)}"] = _text(child)
        elif child.tag == f"{{{SPIFF}}}property":
            properties[f"property:{child.get('name')}"] = child.get("value") or _text(child)
        elif child.tag.startswith(f"{{{SPIFF}}}") and not len(child):
            properties[name] = _text(child)
        for attribute, value in child.attrib.items():
            if attribute != "id" and child.tag != f"{{{SPIFF}}}property":
                properties[f"{name}@{_local(attribute)}"] = value
        stack[:0] = [grandchild for grandchild in child if isinstance(grandchild.tag, str)]
    return code, properties, " ".join(documentation)


@dataclass(frozen=True)
class _Element:
    kind: str
    name: str
    lane: str
    code: tuple
    properties: tuple
    connections: tuple
    documentation: str


def _elements(data, file_name):
    """{id: _Element} of the semantic part of a BPMN file (the interchange part skipped)."""
    root = parse_xml(data, file_name=file_name).getroot()
    lanes = _lanes(root)
    found = {}
    for element in root.iter():
        if not _tracked(element):
            continue
        code, properties, documentation = _code_and_properties(element)
        attributes = {f"@{_local(k)}": v for k, v in element.attrib.items()
                      if _local(k) not in ("id", "name", *_CONNECTION_ATTRIBUTES)}
        found[element.get("id")] = _Element(
            kind=_local(element.tag), name=" ".join((element.get("name") or "").split()),
            lane=lanes.get(element.get("id"), ""), code=tuple(sorted(code.items())),
            properties=tuple(sorted((properties | attributes).items())),
            connections=tuple(element.get(a) or "" for a in _CONNECTION_ATTRIBUTES),
            documentation=documentation)
    return found


def diff_diagrams(old, new, *, file_name):
    """The DiagramDiff between two versions (bytes) of `file_name`; either may be None (file added/removed).

    Raises ProcessDefinitionError when a file cannot be read safely.
    """
    before = _elements(old, file_name) if old is not None else {}
    after = _elements(new, file_name) if new is not None else {}
    changes = []
    for element_id, now in after.items():
        was = before.get(element_id)
        if was is None:
            changes.append(ElementChange(element_id, now.kind, now.name, "added"))
            continue
        aspects = tuple(aspect for aspect in ASPECTS if getattr(was, aspect) != getattr(now, aspect))
        if aspects:
            changes.append(ElementChange(element_id, now.kind, now.name, "changed", aspects,
                                         was.name if "name" in aspects else ""))
    for element_id, was in before.items():
        if element_id not in after:
            changes.append(ElementChange(element_id, was.kind, was.name, "removed"))
    return DiagramDiff(file_name, tuple(changes))
