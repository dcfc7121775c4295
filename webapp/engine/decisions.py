"""DMN decision tables: what a deployment must check before SpiffWorkflow reads them.

SpiffWorkflow reads DMN 1.1, 1.2 and 1.3 (the namespaces of its XSDs), one decision per file and
only that decision's first table; its parser looks the table up by the prefix `dmn` or the default
namespace. A business rule task names its decision with `spiffworkflow:calledDecisionId`. The cells
are Python expressions evaluated by the script engine, so they are compiled under the same
restrictions as every script when the file is deployed.
"""
import ast
import re
from functools import lru_cache

from lxml import etree
from SpiffWorkflow.bpmn.parser.BpmnParser import BpmnValidator
from SpiffWorkflow.bpmn.parser.ValidationException import ValidationException
from SpiffWorkflow.dmn.parser.BpmnDmnParser import SCHEMAS

from .errors import Problem
from .library_messages import library_problem

DMN_SUFFIX = ".dmn"
DMN_NAMESPACES = tuple(SCHEMAS)
SPIFF = "http://spiffworkflow.org/bpmn/schema/1.0/core"
_QUESTION_MARK = re.compile(r'(\?)(?=(?:[^\'"]|[\'"][^\'"]*[\'"])*$)')  # as SpiffWorkflow's DMN engine finds it


def dmn_namespace(root):
    """The DMN namespace of a `definitions` root, or None when the root is anything else."""
    name = etree.QName(root)
    return name.namespace if name.localname == "definitions" and name.namespace in DMN_NAMESPACES else None


def not_dmn(file_name, root):
    name = etree.QName(root)
    return Problem(f"The file is not a DMN decision table (its root element is <{name.localname}> of the namespace "
                   f"'{name.namespace or 'none'}'; DMN 1.1, 1.2 or 1.3 <definitions> is expected).",
                   file_name=file_name, code="not_dmn", params={"root": name.localname})


def root_problems(tree, file_name):
    """The root must be DMN <definitions>, with the DMN namespace as default or under the prefix `dmn`."""
    root = tree.getroot()
    namespace = dmn_namespace(root)
    if namespace is None:
        return [not_dmn(file_name, root)]
    if root.nsmap.get(None) != namespace and root.nsmap.get("dmn") != namespace:
        return [Problem("The DMN namespace must be the default one or have the prefix 'dmn' (SpiffWorkflow reads "
                        "no other).", file_name=file_name, code="dmn_prefix")]
    return []


@lru_cache(maxsize=len(SCHEMAS))
def _validator(namespace):
    return BpmnValidator(SCHEMAS[namespace])


def schema_problems(tree, file_name):
    try:
        _validator(dmn_namespace(tree.getroot())).validate(tree.getroot(), file_name)
    except ValidationException as error:
        return [library_problem("schema_dmn", str(error), file_name=file_name,
                                line=getattr(error, "line_number", None) or None)]
    return []


def _ns(tree):
    return {"dmn": dmn_namespace(tree.getroot())}


def decisions_by_id(trees):
    """{decision id: (file name, element)} of every DMN file, and the problems of their shapes."""
    found, problems = {}, []
    for name, tree in sorted(trees.items()):
        decisions = tree.getroot().findall("dmn:decision", _ns(tree))
        if len(decisions) != 1:
            problems.append(Problem(f"A DMN file must hold exactly one decision (this one holds {len(decisions)}).",
                                    file_name=name, code="dmn_decision_count", params={"count": len(decisions)}))
            continue
        decision = decisions[0]
        if decision.find("dmn:decisionTable", _ns(tree)) is None:
            problems.append(Problem("The decision has no decision table (only tables are run here).",
                                    element_id=decision.get("id"), file_name=name, line=decision.sourceline,
                                    code="dmn_no_table"))
            continue
        other = found.get(decision.get("id"))
        if other is not None:
            problems.append(Problem(f"The decision id '{decision.get('id')}' is in two files: {other[0]} and {name}.",
                                    element_id=decision.get("id"), file_name=name, line=decision.sourceline,
                                    code="duplicate_decision",
                                    params={"decision": decision.get("id"), "files": f"{other[0]}, {name}"}))
            continue
        found[decision.get("id")] = (name, decision)
    return found, problems


def _text(element, ns):
    text = element.find("dmn:text", ns)
    return (text.text or "").strip() if text is not None else ""


def cells(tree):
    """(element, source) of every expression the script engine will evaluate for this decision's table."""
    ns = _ns(tree)
    table = tree.getroot().find("dmn:decision/dmn:decisionTable", ns)
    if table is None:
        return
    inputs = [_text(i.find("dmn:inputExpression", ns), ns) if i.find("dmn:inputExpression", ns) is not None
              else "" for i in table.findall("dmn:input", ns)]
    for expression, element in zip(inputs, table.findall("dmn:input", ns), strict=True):
        if expression:
            yield element, expression
    for rule in table.findall("dmn:rule", ns):
        for index, entry in enumerate(rule.findall("dmn:inputEntry", ns)):
            text = _text(entry, ns)
            if text and text != "-":
                yield entry, _input_test(inputs[index] if index < len(inputs) else "", text)
        for entry in rule.findall("dmn:outputEntry", ns):
            if _text(entry, ns):
                yield entry, _text(entry, ns)


def _input_test(input_expression, text):
    """The expression SpiffWorkflow's DMN engine builds from an input entry (DMNEngine.evaluate)."""
    if _QUESTION_MARK.search(text):
        return _QUESTION_MARK.sub("dmninputexpr", text)
    try:
        ast.parse(text, mode="eval")
    except SyntaxError:
        return f"({input_expression or 'dmninputexpr'}) {text}"  # '> 5', '< 18': the input on the left
    return f"({input_expression or 'dmninputexpr'}) == ({text})"


def decision_ref(task):
    """The decision a business rule task calls (spiffworkflow:calledDecisionId), or ''."""
    called = task.find(f".//{{{SPIFF}}}calledDecisionId")
    return (called.text or "").strip() if called is not None else ""
