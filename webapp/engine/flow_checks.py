"""Deployment checks of the flow: every node reachable from a start event, every call activity calling an
executable process of the deployment, and no process that can end up calling itself."""
from .bpmn_tree import BPMN, FLOW_NODES, NS, id_of, local_name, problem


def reachability_problems(name, process):
    nodes = {id_of(e): e for e in process if isinstance(e.tag, str) and local_name(e) in FLOW_NODES}
    successors = {}
    for flow in process.iter(f"{{{BPMN}}}sequenceFlow"):
        successors.setdefault(flow.get("sourceRef"), []).append(flow.get("targetRef"))
    for node_id, element in nodes.items():
        if local_name(element) == "boundaryEvent":
            successors.setdefault(element.get("attachedToRef"), []).append(node_id)
    for thrower, catcher in _links(nodes):
        successors.setdefault(thrower, []).append(catcher)
    if not any(local_name(e) == "startEvent" for e in nodes.values()):
        return [problem("The process has no start event.", process, name, "no_start")]
    # An event subprocess has no incoming flow: its own start event starts it (SpiffWorkflow runs it).
    starts = [node_id for node_id, e in nodes.items() if local_name(e) == "startEvent"
              or (local_name(e) == "subProcess" and e.get("triggeredByEvent") == "true")]
    seen, stack = set(), list(starts)
    while stack:
        current = stack.pop()
        if current in seen:
            continue
        seen.add(current)
        stack.extend(successors.get(current, ()))
    return [problem(f"'{e.get('name') or node_id}' cannot be reached from any start event.", e, name, "unreachable",
                    node=e.get("name") or node_id)
            for node_id, e in nodes.items() if node_id not in seen]


def _links(nodes):
    """(throw event, catch event) pairs joined by a link event of the same name (a flow drawn as two events)."""
    def named(kind):
        return [(node_id, definition.get("name")) for node_id, e in nodes.items() if local_name(e) == kind
                for definition in e.iterfind("bpmn:linkEventDefinition", NS)]
    catchers = named("intermediateCatchEvent")
    return [(thrower, catcher) for thrower, link in named("intermediateThrowEvent")
            for catcher, target in catchers if target == link]


def call_problems(executable):
    problems = []
    calls = {}
    for process_id, (name, process) in executable.items():
        for call in process.iter(f"{{{BPMN}}}callActivity"):
            target = call.get("calledElement")
            calls.setdefault(process_id, []).append((target, call, name))
            if target not in executable:
                problems.append(problem(f"The call activity calls '{target}', which is not an executable process "
                                        "of this deployment.", call, name, "unknown_call", target=target))
    for process_id in calls:
        path = _cycle_from(process_id, calls)
        if path:
            target, call, name = next(c for c in calls[process_id] if c[0] == path[1])
            problems.append(problem("This call activity can end up calling its own process "
                                    f"({' → '.join(path)}): it would never finish.", call, name, "call_cycle",
                                    path=" → ".join(path)))
    return problems


def _cycle_from(start, calls):
    stack = [(start, [start])]
    while stack:
        current, path = stack.pop()
        for target, _, _ in calls.get(current, ()):
            if target == start:
                return path + [target]
            if target not in path:
                stack.append((target, path + [target]))
    return None
