"""What the libraries say (libxml2, the XSD validator, RestrictedPython, SpiffWorkflow), as problem codes.

The libraries speak English; an administrator reading a Vietnamese page must still know what to
fix. The common messages are recognised here and become a code with the parts that matter as
parameters (the pages word them, webapp/pages/problems.py); the library's own text always goes
with them as `detail`, shown apart as a technical detail. A message not recognised keeps the
generic code of its kind.
"""
import re

from .errors import Problem

_NAME = r"(?:\{[^}]*\})?([\w.-]+)"  # '{namespace}local' → local
_SCHEMA = (
    (re.compile(rf"^Element '{_NAME}', attribute '([^']+)': The attribute '[^']+' is not allowed"),
     "schema_attribute_not_allowed", ("element", "attribute")),
    (re.compile(rf"^Element '{_NAME}', attribute '([^']+)': '([^']*)' is not a valid value of the atomic type "
                r"'xs:ID'"), "schema_bad_id", ("element", "attribute", "value")),
    (re.compile(rf"^Element '{_NAME}', attribute '([^']+)': (?:\[facet '\w+'\] )?The value '([^']*)'"),
     "schema_bad_value", ("element", "attribute", "value")),
    (re.compile(rf"^Element '{_NAME}', attribute '([^']+)': '([^']*)' is not a valid value"),
     "schema_bad_value", ("element", "attribute", "value")),
    (re.compile(rf"^Element '{_NAME}': The attribute '([^']+)' is required but missing"),
     "schema_attribute_missing", ("element", "attribute")),
    (re.compile(rf"^Element '{_NAME}': This element is not expected\. Expected is (?:one of )?\( (.*?) \)"),
     "schema_unexpected_element", ("element", "expected")),
    (re.compile(rf"^Element '{_NAME}': This element is not expected"), "schema_unexpected_element",
     ("element",)),
    (re.compile(rf"^Element '{_NAME}': Missing child element\(s\)\. Expected is (?:one of )?\( (.*?) \)"),
     "schema_missing_child", ("element", "expected")),
)
_XML = (
    (re.compile(r"(?i)utf-8|encoding"), "not_utf8", ()),
    (re.compile(r"^Opening and ending tag mismatch: ([\w:.-]+) line (\d+) and ([\w:.-]+)"), "xml_tag_mismatch",
     ("opened", "opened_line", "closed")),
    (re.compile(r"^(?:Premature end of data|EndTag: '</' not found|Couldn't find end of Start Tag)"),
     "xml_truncated", ()),
    (re.compile(r"^(?:Start tag expected|Document is empty)"), "xml_no_element", ()),
    (re.compile(r"^Extra content at the end of the document"), "xml_extra_content", ()),
    (re.compile(r"^Entity '([^']+)' not defined"), "xml_entity", ("entity",)),
    (re.compile(r"^Namespace prefix ([\w.-]+) (?:for [\w.-]+ )?on ([\w.-]+) is not defined"),
     "xml_undeclared_prefix", ("prefix", "element")),
)
_CODE = (
    (re.compile(r"^syntax error on line (\d+)"), "code_syntax", ("line",)),
    (re.compile(r"^imports are not allowed"), "code_import", ()),
    (re.compile(r'"([^"]+)" is an invalid variable name because it starts with "_"'), "code_underscore_name",
     ("name",)),
    (re.compile(r'"([^"]+)" is an invalid attribute name because it starts with "_"'),
     "code_underscore_attribute", ("name",)),
    (re.compile(r'"([^"]+)" is a reserved name'), "code_reserved_name", ("name",)),
)
_ENGINE = (
    (re.compile(r"^No DMN Diagram available with id \"([^\"]*)\""), "unknown_decision", ("decision",)),
    (re.compile(r"^Non-default exclusive outgoing sequence flow without condition"), "flow_without_condition", ()),
    (re.compile(r"^Exactly one start event is required in a SubWorkflow Task; found (\d+)"), "subprocess_starts",
     ("count",)),
    (re.compile(r"^A SubWorkflow Must contain an End event"), "subprocess_without_end", ()),
    (re.compile(r"^Invalid Script Task\.\s+No Script Provided"), "script_missing", ()),
    (re.compile(r"^Time Specification Error"), "timer_invalid", ()),
    (re.compile(r"^'([^']*)' is a duration, not a date-time"), "timer_date_is_duration", ("value",)),
    (re.compile(r"^Conditional event definition with missing condition"), "conditional_event_empty", ()),
    (re.compile(r"^There is no support implemented for this task type"), "unsupported_element", ()),
    (re.compile(r"^(?:Could not find messageRef|Message identifier is missing)"), "message_missing", ()),
)
_KINDS = {"schema": _SCHEMA, "schema_dmn": _SCHEMA, "not_xml": _XML, "code_refused": _CODE,
          "engine_parse": _ENGINE, "timer_invalid": _ENGINE}


def _local_names(listing):
    return ", ".join(re.sub(r"^\{[^}]*\}", "", name.strip()) for name in listing.split(","))


def classify(kind, detail):
    """(code, params) for a library message of `kind` (schema, schema_dmn, not_xml, code_refused, engine_parse)."""
    text = detail.strip()
    for pattern, code, names in _KINDS.get(kind, ()):
        found = pattern.search(text)
        if found:
            params = dict(zip(names, found.groups(), strict=False))
            if "expected" in params:
                params["expected"] = _local_names(params["expected"])
            if kind == "schema_dmn" and code.startswith("schema_"):
                code = code.replace("schema_", "schema_dmn_", 1)
            return code, params
    return kind, {}


def library_problem(kind, detail, *, message=None, element_id=None, file_name=None, line=None, **params):
    """A Problem for what a library said: recognised → its own code; always the original as `detail`.

    `message` is the English for the command line (by default the kind's words and the detail).
    """
    code, found = classify(kind, detail)
    message = message or f"{_ENGLISH.get(kind, 'The library reports')}: {detail.strip()}"
    return Problem(message, element_id=element_id, file_name=file_name, line=line, code=code,
                   params={**params, **found, "detail": detail.strip()})


_ENGLISH = {
    "schema": "The diagram does not follow the BPMN schema",
    "schema_dmn": "The decision table does not follow the DMN schema",
    "not_xml": "The file is not well-formed XML",
    "code_refused": "cannot run here",
    "engine_parse": "SpiffWorkflow's parser reports",
}

#: Every code `classify` can give (the pages must have a text for each).
CODES = frozenset({kind for kind in _KINDS} | {code for table in _KINDS.values() for _, code, _ in table}
                  | {code.replace("schema_", "schema_dmn_", 1) for _, code, _ in _SCHEMA})
