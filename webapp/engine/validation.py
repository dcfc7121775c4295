"""Everything a deployment must pass before anything is stored, each problem tied to an element.

The caller (a service) says which roles exist and which forms the deployment carries; the engine
knows nothing about the database. The files are parsed and checked here; each process's steps in
element_checks.py, its code in code_problems.py, its flow in flow_checks.py; then SpiffWorkflow's own
parse.
"""
from SpiffWorkflow.bpmn.parser.ValidationException import ValidationException
from SpiffWorkflow.spiff.parser import VALIDATOR

from . import decisions
from .bpmn_tree import local_name, problem, processes
from .code_problems import code_problems, decision_code_problems
from .decisions import DMN_SUFFIX
from .element_checks import form_problems, lane_problems, task_kind_problems
from .errors import Problem, ProcessDefinitionError, not_bpmn
from .flow_checks import call_problems, reachability_problems
from .library_messages import library_problem
from .loader import BPMN_DEFINITIONS, BPMN_SUFFIXES, new_parser, problem_from_parser
from .markup import foreign_markup_problems
from .xmlsafe import parse_xml

UTF8 = ("UTF-8", "UTF8", "US-ASCII", "ASCII")


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
            problems.append(not_bpmn(name, local_name(root)))
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


def _duplicate_process_problems(trees):
    """A process id given twice: one problem naming both files (SpiffWorkflow would stop at the second)."""
    seen, problems = {}, []
    for name, process in processes(trees):
        first = seen.get(process.get("id"))
        seen.setdefault(process.get("id"), name)
        if first is not None:
            files = f"{first}, {name}" if first != name else name
            problems.append(problem(f"The process id '{process.get('id')}' is given twice ({files}): each process "
                                    "needs its own id.", process, name, "duplicate_process",
                                    process=process.get("id"), files=files))
    return problems


def _structure_problems(trees, known_roles, form_names, main_process=None, form_fields=None):
    decision_ids, problems = decisions.decisions_by_id(
        {name: tree for name, tree in trees.items() if name.endswith(DMN_SUFFIX)})
    problems += decision_code_problems(decision_ids)
    executable = {}
    for name, process in processes(trees):
        if process.get("isExecutable") == "false":
            problems.append(problem("This pool is not executable (isExecutable=\"false\"): it will never run.",
                                    process, name, "pool_not_executable"))
            continue
        executable[process.get("id")] = (name, process)
        problems += lane_problems(name, process, known_roles)
        problems += form_problems(name, process, form_names)
        problems += task_kind_problems(name, process, decision_ids)
        problems += code_problems(name, process, form_fields or {})
        problems += reachability_problems(name, process)
    problems += call_problems(executable)
    # A process nothing calls is not a problem: it is one an administrator may open for starting
    # (services.startable), besides the main one.
    return problems, executable


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
    for found in problems:  # every process's parse reads every file: one broken file is said once
        if found not in unique:
            unique.append(found)
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
