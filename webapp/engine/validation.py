"""Everything a deployment must pass before anything is stored, each problem tied to an element.

The caller (a service) says which roles exist and which forms the deployment carries; the engine
knows nothing about the database.
"""
from lxml import etree
from SpiffWorkflow.bpmn.parser.ValidationException import ValidationException
from SpiffWorkflow.spiff.parser import VALIDATOR

from .errors import Problem, ProcessDefinitionError, ScriptError, not_bpmn
from .loader import BPMN_DEFINITIONS, BPMN_SUFFIXES, new_parser, problem_from_parser
from .scripting import compile_script
from .timers import normalise_timer_expression
from .xmlsafe import parse_xml

BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL"
SPIFF = "http://spiffworkflow.org/bpmn/schema/1.0/core"
NS = {"bpmn": BPMN, "spiffworkflow": SPIFF}
FLOW_NODES = ("startEvent", "endEvent", "task", "userTask", "manualTask", "scriptTask", "serviceTask", "sendTask",
              "receiveTask", "businessRuleTask", "callActivity", "subProcess", "exclusiveGateway", "parallelGateway",
              "inclusiveGateway", "eventBasedGateway", "intermediateCatchEvent", "intermediateThrowEvent",
              "boundaryEvent")
DMN_SUFFIX = ".dmn"


def _local(element):
    return etree.QName(element).localname


def _node_id(element):
    return element.get("id")


def _problem(message, element=None, file_name=None, code=None, **params):
    return Problem(message, element_id=element.get("id") if element is not None else None, file_name=file_name,
                   line=element.sourceline if element is not None else None, code=code, params=params)


def _trees(files):
    problems, trees = [], {}
    for name, content in sorted(files.items()):
        if not name.endswith(BPMN_SUFFIXES + (DMN_SUFFIX,)):
            continue
        try:
            tree = parse_xml(content, file_name=name)
        except ProcessDefinitionError as error:
            problems.extend(error.problems)
            continue
        root = tree.getroot()
        if name.endswith(BPMN_SUFFIXES) and root.tag != BPMN_DEFINITIONS:
            problems.append(not_bpmn(name, _local(root)))
            continue
        trees[name] = tree
    return trees, problems


def _schema_problems(trees):
    problems = []
    for name, tree in trees.items():
        if not name.endswith(BPMN_SUFFIXES):
            continue
        try:
            VALIDATOR.validate(tree.getroot(), name)
        except ValidationException as error:
            problems.append(Problem(f"The diagram does not follow the BPMN schema: {error}", file_name=name,
                                    line=getattr(error, "line_number", None) or None, code="schema",
                                    params={"detail": str(error)}))
    return problems


def _processes(trees):
    for name, tree in trees.items():
        for process in tree.getroot().iter(f"{{{BPMN}}}process"):
            yield name, process


def _lane_of(process):
    lanes = {}
    for lane in process.iter(f"{{{BPMN}}}lane"):
        for ref in lane.findall(f"{{{BPMN}}}flowNodeRef"):
            lanes[(ref.text or "").strip()] = lane
    return lanes


def _structure_problems(trees, known_roles, form_names):
    problems = []
    executable = {}
    for name, process in _processes(trees):
        if process.get("isExecutable") == "false":
            problems.append(_problem("This pool is not executable (isExecutable=\"false\"): it will never run.",
                                     process, name, "pool_not_executable"))
            continue
        executable[process.get("id")] = (name, process)
        problems += _lane_problems(name, process, known_roles)
        problems += _form_problems(name, process, form_names)
        problems += _code_problems(name, process)
        problems += _reachability_problems(name, process)
    problems += _call_problems(executable)
    return problems, executable


def _lane_problems(name, process, known_roles):
    problems, lanes = [], _lane_of(process)
    for lane in process.iter(f"{{{BPMN}}}lane"):
        if (lane.get("name") or "") not in known_roles:
            roles = ", ".join(sorted(known_roles))
            problems.append(_problem(f"The lane '{lane.get('name') or ''}' is not a known role (roles: {roles}).",
                                     lane, name, "unknown_lane_role", lane=lane.get("name") or "", roles=roles))
    for task in process.iter(f"{{{BPMN}}}userTask", f"{{{BPMN}}}manualTask"):
        if _node_id(task) not in lanes:
            problems.append(_problem(f"The user task '{task.get('name') or _node_id(task)}' is in no lane: "
                                     "nobody would be asked to do it.", task, name, "task_without_lane",
                                     task=task.get("name") or _node_id(task)))
    return problems


def _properties(element):
    return {p.get("name"): p.get("value") for p in element.iterfind(".//spiffworkflow:property", NS)}


def _form_problems(name, process, form_names):
    problems = []
    for task in process.iter(f"{{{BPMN}}}userTask"):
        form = (_properties(task).get("formJsonSchemaFilename") or "").removesuffix(".schema.json")
        if not form:
            problems.append(_problem(f"The user task '{task.get('name') or _node_id(task)}' names no form "
                                     "(property formJsonSchemaFilename).", task, name, "task_without_form",
                                     task=task.get("name") or _node_id(task)))
        elif form not in form_names:
            problems.append(_problem(f"The form '{form}' named by this task is not in the deployment.", task, name,
                                     "unknown_form", form=form))
    return problems


def _code(element):
    """(what, source, mode) for every piece of code an element carries."""
    local = _local(element)
    if local == "scriptTask":
        script = element.find(f"{{{BPMN}}}script")
        if script is not None and (script.text or "").strip():
            yield "script", script.text, "exec"
    for tag in ("preScript", "postScript"):
        for script in element.iterfind(f".//spiffworkflow:{tag}", NS):
            if (script.text or "").strip():
                yield tag, script.text, "exec"
    if local == "sequenceFlow":
        condition = element.find(f"{{{BPMN}}}conditionExpression")
        if condition is not None and (condition.text or "").strip():
            yield "condition", condition.text, "eval"
    for tag in ("timeDate", "timeDuration", "timeCycle"):
        for timer in element.iterfind(f".//bpmn:{tag}", NS):
            yield "timer", normalise_timer_expression(timer.text or ""), "eval"


def _code_problems(name, process):
    problems = []
    for element in process.iter():
        if not isinstance(element.tag, str):
            continue
        for what, source, mode in _code(element):
            if not source.strip():
                problems.append(_problem(f"The {what} is empty.", element, name, "code_empty", what=what))
                continue
            try:
                compile_script(source.strip() if mode == "eval" else source, mode)
            except ScriptError as error:
                problems.append(_problem(f"The {what} cannot run here: {error}", element, name, "code_refused",
                                         what=what, detail=str(error)))
    return problems


def _reachability_problems(name, process):
    nodes = {_node_id(e): e for e in process if isinstance(e.tag, str) and _local(e) in FLOW_NODES}
    successors = {}
    for flow in process.iter(f"{{{BPMN}}}sequenceFlow"):
        successors.setdefault(flow.get("sourceRef"), []).append(flow.get("targetRef"))
    for node_id, element in nodes.items():
        if _local(element) == "boundaryEvent":
            successors.setdefault(element.get("attachedToRef"), []).append(node_id)
    starts = [node_id for node_id, e in nodes.items() if _local(e) == "startEvent"]
    if not starts:
        return [_problem("The process has no start event.", process, name, "no_start")]
    seen, stack = set(), list(starts)
    while stack:
        current = stack.pop()
        if current in seen:
            continue
        seen.add(current)
        stack.extend(successors.get(current, ()))
    return [_problem(f"'{e.get('name') or node_id}' cannot be reached from any start event.", e, name, "unreachable",
                     node=e.get("name") or node_id)
            for node_id, e in nodes.items() if node_id not in seen]


def _call_problems(executable):
    problems = []
    calls = {}
    for process_id, (name, process) in executable.items():
        for call in process.iter(f"{{{BPMN}}}callActivity"):
            target = call.get("calledElement")
            calls.setdefault(process_id, []).append((target, call, name))
            if target not in executable:
                problems.append(_problem(f"The call activity calls '{target}', which is not an executable process "
                                         "of this deployment.", call, name, "unknown_call", target=target))
    for process_id in calls:
        path = _cycle_from(process_id, calls)
        if path:
            target, call, name = next(c for c in calls[process_id] if c[0] == path[1])
            problems.append(_problem("This call activity can end up calling its own process "
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


def _library_problems(files, executable, main_process):
    """SpiffWorkflow's own parse of every executable process with the processes it calls."""
    problems = []
    for process_id, (name, _) in sorted(executable.items()):
        try:
            parser = new_parser(files)  # fresh each time: a failed get_spec poisons a parser
            parser.get_spec(process_id)
            parser.get_subprocess_specs(process_id)
        except ValidationException as error:
            problems.append(problem_from_parser(error, name))
        except ProcessDefinitionError as error:
            problems.extend(error.problems)
    if main_process and main_process not in executable:
        problems.append(Problem(f"The deployment has no executable process '{main_process}'.",
                                code="no_main_process", params={"process": main_process}))
    return problems


def validate_files(files, *, known_roles, form_names, main_process=None):
    """All problems of a deployment (empty when it may be stored); never raises for bad input."""
    trees, problems = _trees(files)
    if not any(name.endswith(BPMN_SUFFIXES) for name in files):
        problems.append(Problem("The deployment contains no BPMN diagram (.bpmn).", code="no_diagram"))
    if problems:
        return problems
    problems = _schema_problems(trees)
    if problems:
        return problems
    problems, executable = _structure_problems(trees, set(known_roles), set(form_names))
    if not executable:
        problems.append(Problem("No executable process: every pool is marked non-executable or the file "
                                "describes none.", code="no_executable"))
    if problems:
        return problems
    return _library_problems(files, executable, main_process)
