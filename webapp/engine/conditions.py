"""What to say when a gateway's condition is not a Python expression.

Conditions here are Python expressions over the form fields (SpiffWorkflow evaluates them with the
case data). Camunda Modeler writes `${approved}` or `#{x}` (JUEL); those, and any other syntax
error, are refused with the fields the expression could read: the fields of the forms of the
tasks before the gateway, or when none is found there, every field of the deployment's forms.
"""
import re

from lxml import etree

from .errors import Problem
from .form_refs import form_name

BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL"
SPIFF = "http://spiffworkflow.org/bpmn/schema/1.0/core"
PERSON_TASKS = ("userTask", "manualTask")
#: `${…}` or `#{…}` around the whole condition: Camunda's (JUEL) expression language.
_CAMUNDA = re.compile(r"^\s*[$#]\{(.*)\}\s*$", re.DOTALL)
_MAX_FIELDS = 60  # a list longer than this reads as noise; the forms are one click away


def _form_of(task):
    for prop in task.iter(f"{{{SPIFF}}}property"):
        if prop.get("name") == "formJsonSchemaFilename":
            return form_name(prop.get("value"))
    return ""


def fields_before(process, flow, form_fields):
    """The fields of the forms of every person's task from which the flow's gateway can be reached."""
    by_id = {e.get("id"): e for e in process.iter() if isinstance(e.tag, str) and e.get("id")}
    sources = {}
    for sequence in process.iter(f"{{{BPMN}}}sequenceFlow"):
        sources.setdefault(sequence.get("targetRef"), []).append(sequence.get("sourceRef"))
    seen, stack, fields = set(), [flow.get("sourceRef")], []
    while stack:
        current = stack.pop()
        if current in seen or current is None:
            continue
        seen.add(current)
        element = by_id.get(current)
        if element is not None and etree.QName(element).localname in PERSON_TASKS:
            fields += [f for f in form_fields.get(_form_of(element), ()) if f not in fields]
        stack.extend(sources.get(current, ()))
    return sorted(fields)


def _all_fields(form_fields):
    return sorted({field for fields in form_fields.values() for field in fields})


def condition_problem(flow, file_name, process, source, refused, form_fields):
    """The refusal of a condition that does not compile, in words an administrator from Camunda can act on."""
    fields, scope = fields_before(process, flow, form_fields), "fields_before"
    if not fields:
        fields, scope = _all_fields(form_fields), "fields_of_forms"
    shown = ", ".join(fields[:_MAX_FIELDS]) + (", …" if len(fields) > _MAX_FIELDS else "") or "—"
    camunda = _CAMUNDA.match(source)
    detail = refused.params.get("detail", refused.message)
    where = ("the fields the tasks before this gateway fill in" if scope == "fields_before"
             else "the fields of the deployment's forms")
    if camunda:
        inner = camunda.group(1).strip()
        message = (f"The condition {source.strip()} is written in Camunda's expression language; conditions here "
                   f"are Python expressions over the form fields (write {inner}). {where.capitalize()}: {shown}.")
        code, params = "condition_camunda", {"condition": source.strip(), "inner": inner}
    else:
        message = (f"The condition is not a Python expression ({detail}); conditions here are Python expressions "
                   f"over the form fields, e.g. decision == 'approve'. {where.capitalize()}: {shown}.")
        code, params = "condition_not_python", {"condition": source.strip()}
    return Problem(message, element_id=flow.get("id"), file_name=file_name, line=flow.sourceline, code=code,
                   params={**params, "fields": shown, "scope": scope, "detail": detail})
