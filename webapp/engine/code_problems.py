"""Deployment checks of the code diagrams carry (scripts, conditions, multi-instance cardinality, timers,
DMN cells): each compiled as it will run, refused when empty, not restricted Python, or written to run away."""
from . import code_checks, decisions
from .bpmn_tree import BPMN, NS, TIMER_EVENTS, TIMER_TAGS, id_of, local_name, problem
from .conditions import condition_problem
from .errors import ScriptError
from .library_messages import library_problem
from .scripting import compile_script
from .timers import literal_timer_error, normalise_timer_expression

#: A condition that is not Python at all (a forbidden name in valid Python keeps its own, more exact, refusal).
CONDITION_NOT_COMPILED = ("code_syntax",)


def _code(element):
    """(what, source, mode) for every piece of code an element carries itself (not its descendants')."""
    local = local_name(element)
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
    if local_name(element) not in TIMER_EVENTS:
        return []
    problems = []
    for definition in element.iterfind("./bpmn:timerEventDefinition", NS):
        if not any(definition.find(f"bpmn:{tag}", NS) is not None for tag in TIMER_TAGS):
            problems.append(problem("The timer says no time (timeDate, timeDuration or timeCycle).", element, name,
                                    "timer_missing"))
        for tag in TIMER_TAGS:
            for timer in definition.iterfind(f"bpmn:{tag}", NS):
                error = literal_timer_error(tag, normalise_timer_expression(timer.text or ""))
                if error:
                    problems.append(library_problem("timer_invalid", error, element_id=id_of(element),
                                                    file_name=name, line=element.sourceline,
                                                    message=f"The timer's value cannot be read: {error}"))
    return problems


def code_problems(name, process, form_fields):
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
        return [problem(f"The {what} is empty.", element, name, "code_empty", what=what)]
    try:
        compile_script(source.strip() if mode == "eval" else source, mode)
    except ScriptError as error:
        return [library_problem("code_refused", str(error), message=f"The {what} cannot run here: {error}",
                                element_id=id_of(element), file_name=name, line=element.sourceline, what=what)]
    return [problem(f"The {what} is written to run away ({finding.message}).", element, name, finding.code,
                    what=what, **finding.params) for finding in code_checks.findings(what, source, mode)]


def decision_code_problems(decision_ids):
    """Every cell of every decision table, compiled as the script engine will evaluate it."""
    problems = []
    for file_name, decision in decision_ids.values():
        for element, source in decisions.cells(decision.getroottree()):
            problems += _source_problems(element, file_name, "dmn_cell", source, "eval")
    return problems
