"""Turn the files of one deployed version into runnable specs.

A fresh SpiffBpmnParser for every load: after a failed ``get_spec()`` the same parser hands
back a half-built spec without complaint.
"""
from dataclasses import dataclass

from SpiffWorkflow.bpmn.parser.ValidationException import ValidationException
from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition
from SpiffWorkflow.spiff.parser import VALIDATOR, SpiffBpmnParser

from .decisions import DMN_SUFFIX, root_problems
from .errors import Problem, ProcessDefinitionError, not_bpmn
from .library_messages import library_problem
from .timers import normalise_timer_expression
from .xmlsafe import parse_xml

BPMN_SUFFIXES = (".bpmn", ".bpmn20.xml")
BPMN_DEFINITIONS = "{http://www.omg.org/spec/BPMN/20100524/MODEL}definitions"
BPMN_PROCESS = "{http://www.omg.org/spec/BPMN/20100524/MODEL}process"


@dataclass(frozen=True)
class LoadedProcess:
    process_id: str
    spec: object
    subprocess_specs: dict

    def user_steps(self):
        """[(step name, label)] of every user task, the main process's first, each once."""
        steps = {}
        for spec in (self.spec, *self.subprocess_specs.values()):
            for task_spec in spec.task_specs.values():
                if task_spec.manual and task_spec.name not in steps:
                    steps[task_spec.name] = task_spec.bpmn_name or task_spec.name
        return list(steps.items())


def problem_from_parser(error, default_file=None):
    """A problem SpiffWorkflow's parser found (its words, in English)."""
    message = str(error.args[0]) if error.args else str(error)
    return library_problem("engine_parse", message, message=message, element_id=getattr(error, "id", None) or None,
                           file_name=getattr(error, "file_name", None) or default_file,
                           line=getattr(error, "line_number", None) or None)


def new_parser(files):
    """A fresh parser holding every diagram of `files` ({file name: bytes})."""
    parser = SpiffBpmnParser(validator=VALIDATOR)
    for name, content in sorted(files.items()):
        if name.endswith(DMN_SUFFIX):
            _add_decision(parser, name, content)
        if not name.endswith(BPMN_SUFFIXES):
            continue
        tree = parse_xml(content, file_name=name)
        root = tree.getroot()
        if root.tag != BPMN_DEFINITIONS:
            local = root.tag.rsplit("}", 1)[-1]
            raise ProcessDefinitionError([not_bpmn(name, local)])
        try:
            parser.add_bpmn_xml(tree, filename=name)
        except ValidationException as error:
            raise ProcessDefinitionError([problem_from_parser(error, name)]) from None
    return parser


def _add_decision(parser, name, content):
    """A DMN file goes to the parser too: business rule tasks find their decision table there."""
    tree = parse_xml(content, file_name=name)
    problems = root_problems(tree, name)
    if problems:
        raise ProcessDefinitionError(problems)
    try:
        parser.add_dmn_xml(tree.getroot(), filename=name)
    except ValidationException as error:
        raise ProcessDefinitionError([problem_from_parser(error, name)]) from None


def _normalise_timers(specs):
    for spec in specs:
        for task_spec in spec.task_specs.values():
            definition = getattr(task_spec, "event_definition", None)
            if isinstance(definition, TimerEventDefinition):
                definition.expression = normalise_timer_expression(definition.expression)


def load_process(files, process_id):
    """Parse `files` and return the spec of `process_id` with every process it calls."""
    parser = new_parser(files)
    if process_id not in parser.get_process_ids():
        found = ", ".join(sorted(parser.get_process_ids()))
        raise ProcessDefinitionError([Problem(
            f"No executable process '{process_id}' in the deployed files (found: {found or 'none'}).",
            code="no_main_process", params={"process": process_id})])
    try:
        spec = parser.get_spec(process_id)
        subprocess_specs = parser.get_subprocess_specs(process_id)
    except ValidationException as error:
        raise ProcessDefinitionError([problem_from_parser(error)]) from None
    _normalise_timers([spec, *subprocess_specs.values()])
    return LoadedProcess(process_id, spec, subprocess_specs)


def processes_by_file(files):
    """{process id: file name} for the diagrams in `files` (for drawing them, not running them)."""
    found = {}
    for name, content in sorted(files.items()):
        if name.endswith(BPMN_SUFFIXES):
            for process in parse_xml(content, file_name=name).getroot().iter(BPMN_PROCESS):
                found[process.get("id")] = name
    return found
