"""The BPMN namespaces and what every deployment check reads of an element: its local name, its id, its
spiffworkflow properties, its lanes; and a problem tied to it."""
from lxml import etree

from .errors import Problem

BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL"
SPIFF = "http://spiffworkflow.org/bpmn/schema/1.0/core"
NS = {"bpmn": BPMN, "spiffworkflow": SPIFF}
FLOW_NODES = ("startEvent", "endEvent", "task", "userTask", "manualTask", "scriptTask", "serviceTask", "sendTask",
              "receiveTask", "businessRuleTask", "callActivity", "subProcess", "exclusiveGateway", "parallelGateway",
              "inclusiveGateway", "eventBasedGateway", "intermediateCatchEvent", "intermediateThrowEvent",
              "boundaryEvent")
TIMER_EVENTS = ("startEvent", "intermediateCatchEvent", "boundaryEvent")
TIMER_TAGS = ("timeDate", "timeDuration", "timeCycle")


def local_name(element):
    return etree.QName(element).localname


def id_of(element):
    return element.get("id")


def problem(message, element=None, file_name=None, code=None, **params):
    return Problem(message, element_id=element.get("id") if element is not None else None, file_name=file_name,
                   line=element.sourceline if element is not None else None, code=code, params=params)


def processes(trees):
    for name, tree in trees.items():
        for process in tree.getroot().iter(f"{{{BPMN}}}process"):
            yield name, process


def lane_of(process):
    lanes = {}
    for lane in process.iter(f"{{{BPMN}}}lane"):
        for ref in lane.findall(f"{{{BPMN}}}flowNodeRef"):
            lanes[(ref.text or "").strip()] = lane
    return lanes


def properties(element):
    return {p.get("name"): p.get("value") for p in element.iterfind(".//spiffworkflow:property", NS)}
