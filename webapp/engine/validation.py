"""Everything a deployment must pass before anything is stored, each problem tied to an element.

The caller (a service) says which roles exist and which forms the deployment carries; the engine
knows nothing about the database.
"""
from lxml import etree
from SpiffWorkflow.bpmn.parser.ValidationException import ValidationException
from SpiffWorkflow.spiff.parser import VALIDATOR

from . import code_checks, decisions
from .conditions import condition_problem
from .decisions import DMN_SUFFIX
from .errors import Problem, ProcessDefinitionError, ScriptError, not_bpmn
from .form_refs import closest_form, form_name, looked_for
from .library_messages import library_problem
from .loader import BPMN_DEFINITIONS, BPMN_SUFFIXES, new_parser, problem_from_parser
from .markup import foreign_markup_problems
from .scripting import compile_script
from .timers import literal_timer_error, normalise_timer_expression
from .xmlsafe import parse_xml

BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL"
SPIFF = "http://spiffworkflow.org/bpmn/schema/1.0/core"
NS = {"bpmn": BPMN, "spiffworkflow": SPIFF}
FLOW_NODES = ("startEvent", "endEvent", "task", "userTask", "manualTask", "scriptTask", "serviceTask", "sendTask",
              "receiveTask", "businessRuleTask", "callActivity", "subProcess", "exclusiveGateway", "parallelGateway",
              "inclusiveGateway", "eventBasedGateway", "intermediateCatchEvent", "intermediateThrowEvent",
              "boundaryEvent")
TIMER_EVENTS = ("startEvent", "intermediateCatchEvent", "boundaryEvent")
TIMER_TAGS = ("timeDate", "timeDuration", "timeCycle")
UTF8 = ("UTF-8", "UTF8", "US-ASCII", "ASCII")
#: A condition that is not Python at all (a forbidden name in valid Python keeps its own, more exact, refusal).
CONDITION_NOT_COMPILED = ("code_syntax",)


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
        refused = decisions.root_problems(tree, name) if name.endswith(DMN_SUFFIX) else []
        refused = refused or foreign_markup_problems(tree, name) + _encoding_problems(tree, name)
        if refused:
            problems.extend(refused)
            continue
        trees[name] = tree
    return trees, problems


def _encoding_problems(tree, name):
    """Stored files are UTF-8 (the deployment converts them first): anything else would show garbled."""
    encoding = (tree.docinfo.encoding or "UTF-8").upper()
    if encoding in UTF8:
        return []
    return [Problem(f"The file is encoded in {encoding}; diagrams are stored as UTF-8 and this one could not be "
                    "converted.", file_name=name, code="not_stored_utf8", params={"encoding": encoding})]


def _schema_problems(trees):
    problems = []
    for name, tree in trees.items():
        if name.endswith(DMN_SUFFIX):
            problems += decisions.schema_problems(tree, name)
            continue
        try:
            VALIDATOR.validate(tree.getroot(), name)
        except ValidationException as error:
            problems.append(library_problem("schema", str(error), file_name=name,
                                            line=getattr(error, "line_number", None) or None))
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


def _duplicate_process_problems(trees):
    """A process id given twice: one problem naming both files (SpiffWorkflow would stop at the second)."""
    seen, problems = {}, []
    for name, process in _processes(trees):
        first = seen.get(process.get("id"))
        seen.setdefault(process.get("id"), name)
        if first is not None:
            files = f"{first}, {name}" if first != name else name
            problems.append(_problem(f"The process id '{process.get('id')}' is given twice ({files}): each process "
                                     "needs its own id.", process, name, "duplicate_process",
                                     process=process.get("id"), files=files))
    return problems


def _structure_problems(trees, known_roles, form_names, main_process=None, form_fields=None):
    decision_ids, problems = decisions.decisions_by_id(
        {name: tree for name, tree in trees.items() if name.endswith(DMN_SUFFIX)})
    problems += _decision_code_problems(decision_ids)
    executable = {}
    for name, process in _processes(trees):
        if process.get("isExecutable") == "false":
            problems.append(_problem("This pool is not executable (isExecutable=\"false\"): it will never run.",
                                     process, name, "pool_not_executable"))
            continue
        executable[process.get("id")] = (name, process)
        problems += _lane_problems(name, process, known_roles)
        problems += _form_problems(name, process, form_names)
        problems += _task_kind_problems(name, process, decision_ids)
        problems += _code_problems(name, process, form_fields or {})
        problems += _reachability_problems(name, process)
    problems += _call_problems(executable)
    # A process nothing calls is not a problem: it is one an administrator may open for starting
    # (services.startable), besides the main one.
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
    for task in process.iter(f"{{{BPMN}}}userTask", f"{{{BPMN}}}manualTask"):  # a person's step needs a form
        form = form_name(_properties(task).get("formJsonSchemaFilename"))
        if not form:
            problems.append(_problem(f"The user task '{task.get('name') or _node_id(task)}' names no form "
                                     "(property formJsonSchemaFilename).", task, name, "task_without_form",
                                     task=task.get("name") or _node_id(task)))
        elif form not in form_names:
            problems.append(_unknown_form(task, name, form, form_names))
        else:
            problems += _ui_file_problems(task, form, name)
    return problems


def _ui_file_problems(task, form, name):
    """formUiSchemaFilename naming another file than the one read (SpiffArena's `step01-uischema.json`):
    the hints would be dropped without a word, so the task says which file is read."""
    named = (_properties(task).get("formUiSchemaFilename") or "").strip()
    ui_file = looked_for(form)[1]
    if not named or named == ui_file:
        return []
    return [_problem(f"The task's formUiSchemaFilename names '{named}', but the UI hints of the form '{form}' are "
                     f"read from {ui_file}: name that file (or leave the property out).", task, name,
                     "ui_file_mismatch", named=named, form=form, ui_file=ui_file)]


def _unknown_form(task, name, form, form_names):
    """The form is missing: say the file names looked for, and the nearest form there is."""
    schema_file, ui_file = looked_for(form)
    closest = closest_form(form, form_names)
    message = (f"The form '{form}' named by this task is not in the deployment: looked for the files {schema_file} "
               f"(its fields) and {ui_file} (optional UI hints).")
    if closest is None:
        return _problem(message, task, name, "unknown_form", form=form, schema_file=schema_file, ui_file=ui_file)
    return _problem(f"{message} The closest form there is: '{closest}' ({looked_for(closest)[0]}).", task, name,
                    "unknown_form_closest", form=form, schema_file=schema_file, ui_file=ui_file, closest=closest,
                    closest_file=looked_for(closest)[0])


def _task_kind_problems(name, process, decision_ids):
    """Steps this application cannot run: they would wait in nobody's inbox, or fail when reached."""
    problems = []
    for task in process.iter(f"{{{BPMN}}}task"):
        problems.append(_problem(f"'{task.get('name') or _node_id(task)}' is a plain task (bpmn:task), which nothing "
                                 "runs here: use a user task with a form for a step a person does, or a script task "
                                 "for a step the system does.", task, name, "plain_task",
                                 task=task.get("name") or _node_id(task)))
    for task in process.iter(f"{{{BPMN}}}scriptTask"):
        script = task.find(f"{{{BPMN}}}script")
        if script is None or not (script.text or "").strip():
            problems.append(_problem(f"The script task '{task.get('name') or _node_id(task)}' has no script.", task,
                                     name, "script_missing"))
    for task in process.iter(f"{{{BPMN}}}serviceTask"):
        problems.append(_problem(f"'{task.get('name') or _node_id(task)}' is a service task: this application "
                                 "calls no services; use a script task.", task, name, "service_task",
                                 task=task.get("name") or _node_id(task)))
    for task in process.iter(f"{{{BPMN}}}businessRuleTask"):
        decision = decisions.decision_ref(task)
        if not decision:
            problems.append(_problem("The business rule task names no decision (spiffworkflow:calledDecisionId).",
                                     task, name, "rule_task_without_decision"))
        elif decision not in decision_ids:
            known = ", ".join(sorted(decision_ids)) or "—"
            problems.append(_problem(f"The decision '{decision}' is in no DMN file of the deployment (decisions: "
                                     f"{known}).", task, name, "unknown_decision", decision=decision,
                                     decisions=known))
    return problems


def _code(element):
    """(what, source, mode) for every piece of code an element carries itself (not its descendants')."""
    local = _local(element)
    if local == "scriptTask":
        script = element.find(f"{{{BPMN}}}script")
        if script is not None and (script.text or "").strip():
            yield "script", script.text, "exec"
    for tag in ("preScript", "postScript"):
        for script in element.iterfind(f"./bpmn:extensionElements/spiffworkflow:{tag}", NS):
            if (script.text or "").strip():
                yield tag, script.text, "exec"
    if local == "sequenceFlow":
        condition = element.find(f"{{{BPMN}}}conditionExpression")
        if condition is not None and (condition.text or "").strip():
            yield "condition", condition.text, "eval"
    for cardinality in element.iterfind("./bpmn:multiInstanceLoopCharacteristics/bpmn:loopCardinality", NS):
        yield "cardinality", cardinality.text or "", "eval"
    if local in TIMER_EVENTS:
        for tag in TIMER_TAGS:
            for timer in element.iterfind(f"./bpmn:timerEventDefinition/bpmn:{tag}", NS):
                yield "timer", normalise_timer_expression(timer.text or ""), "eval"


def _timer_problems(element, name):
    """A timer event whose definition says no time at all (what bpmn-js leaves until it is filled in)."""
    if _local(element) not in TIMER_EVENTS:
        return []
    problems = []
    for definition in element.iterfind("./bpmn:timerEventDefinition", NS):
        if not any(definition.find(f"bpmn:{tag}", NS) is not None for tag in TIMER_TAGS):
            problems.append(_problem("The timer says no time (timeDate, timeDuration or timeCycle).", element, name,
                                     "timer_missing"))
        for tag in TIMER_TAGS:
            for timer in definition.iterfind(f"bpmn:{tag}", NS):
                error = literal_timer_error(tag, normalise_timer_expression(timer.text or ""))
                if error:
                    problems.append(library_problem("timer_invalid", error, element_id=_node_id(element),
                                                    file_name=name, line=element.sourceline,
                                                    message=f"The timer's value cannot be read: {error}"))
    return problems


def _code_problems(name, process, form_fields):
    problems = []
    for element in process.iter():
        if not isinstance(element.tag, str):
            continue
        problems += _timer_problems(element, name)
        for what, source, mode in _code(element):
            found = _source_problems(element, name, what, source, mode)
            if what == "condition" and found and found[0].code in CONDITION_NOT_COMPILED:
                # Camunda's ${approved}, or any other syntax: say what a condition is here, with the fields
                found = [condition_problem(element, name, process, source, found[0], form_fields)]
            problems += found
    return problems


def _source_problems(element, name, what, source, mode):
    """What is wrong with one piece of diagram code (empty, or refused by the restricted compiler)."""
    if not source.strip():
        return [_problem(f"The {what} is empty.", element, name, "code_empty", what=what)]
    try:
        compile_script(source.strip() if mode == "eval" else source, mode)
    except ScriptError as error:
        return [library_problem("code_refused", str(error), message=f"The {what} cannot run here: {error}",
                                element_id=_node_id(element), file_name=name, line=element.sourceline, what=what)]
    return [_problem(f"The {what} is written to run away ({finding.message}).", element, name, finding.code,
                     what=what, **finding.params) for finding in code_checks.findings(what, source, mode)]


def _decision_code_problems(decision_ids):
    """Every cell of every decision table, compiled as the script engine will evaluate it."""
    problems = []
    for file_name, decision in decision_ids.values():
        for element, source in decisions.cells(decision.getroottree()):
            problems += _source_problems(element, file_name, "dmn_cell", source, "eval")
    return problems


def _reachability_problems(name, process):
    nodes = {_node_id(e): e for e in process if isinstance(e.tag, str) and _local(e) in FLOW_NODES}
    successors = {}
    for flow in process.iter(f"{{{BPMN}}}sequenceFlow"):
        successors.setdefault(flow.get("sourceRef"), []).append(flow.get("targetRef"))
    for node_id, element in nodes.items():
        if _local(element) == "boundaryEvent":
            successors.setdefault(element.get("attachedToRef"), []).append(node_id)
    for thrower, catcher in _links(nodes):
        successors.setdefault(thrower, []).append(catcher)
    if not any(_local(e) == "startEvent" for e in nodes.values()):
        return [_problem("The process has no start event.", process, name, "no_start")]
    # An event subprocess has no incoming flow: its own start event starts it (SpiffWorkflow runs it).
    starts = [node_id for node_id, e in nodes.items()
              if _local(e) == "startEvent" or (_local(e) == "subProcess" and e.get("triggeredByEvent") == "true")]
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


def _links(nodes):
    """(throw event, catch event) pairs joined by a link event of the same name (a flow drawn as two events)."""
    def named(kind):
        return [(node_id, definition.get("name")) for node_id, e in nodes.items() if _local(e) == kind
                for definition in e.iterfind("bpmn:linkEventDefinition", NS)]
    catchers = named("intermediateCatchEvent")
    return [(thrower, catcher) for thrower, link in named("intermediateThrowEvent")
            for catcher, target in catchers if target == link]


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
        except Exception as error:  # noqa: BLE001 — the library's own crash on a strange file is a problem, not a 500
            problems.append(library_problem("engine_parse", f"{type(error).__name__}: {error}", file_name=name))
    unique = []
    for problem in problems:  # every process's parse reads every file: one broken file is said once
        if problem not in unique:
            unique.append(problem)
    problems = unique
    if main_process and main_process not in executable:
        problems.append(Problem(f"The deployment has no executable process '{main_process}'.",
                                code="no_main_process", params={"process": main_process}))
    return problems


def validate_files(files, *, known_roles, form_names, main_process=None, form_fields=None):
    """All problems of a deployment (empty when it may be stored); never raises for bad input.

    `form_fields` ({form: field names}) lets a refused condition list the fields it could read.
    """
    trees, problems = _trees(files)
    if not any(name.endswith(BPMN_SUFFIXES) for name in files):
        problems.append(Problem("The deployment contains no BPMN diagram (.bpmn).", code="no_diagram"))
    if problems:
        return problems
    problems = _schema_problems(trees) or _duplicate_process_problems(trees)
    if problems:
        return problems
    problems, executable = _structure_problems(trees, set(known_roles), set(form_names), main_process,
                                               form_fields)
    if not executable:
        problems.append(Problem("No executable process: every pool is marked non-executable or the file "
                                "describes none.", code="no_executable"))
    if problems:
        return problems
    return _library_problems(files, executable, main_process)
