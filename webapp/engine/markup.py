"""Foreign markup is refused at deployment: a diagram holds BPMN, DMN and SpiffWorkflow's extensions only.

The BPMN schema lets any element of another namespace into `documentation`, `extensionElements` and
expressions (processContents="lax"), so the XSD check accepts an `<html:script>` in a step's
documentation — and a stored diagram opened in a browser would run it in the app's origin. Nothing
of another vocabulary means anything to this engine either: a `camunda:formData` would be ignored
silently. So every element of the file must belong to the vocabularies below, and no processing
instruction (`<?xml-stylesheet …?>` makes a browser run XSLT) may appear; the XML declaration is
not one. Attributes of foreign namespaces stay allowed (bpmn-js writes `bioc:stroke` colours),
except those of the vocabularies that act in a browser.
"""
from lxml import etree

from .errors import Problem

KNOWN_NAMESPACES = frozenset({
    "http://www.omg.org/spec/BPMN/20100524/MODEL",
    "http://www.omg.org/spec/BPMN/20100524/DI",
    "http://www.omg.org/spec/DD/20100524/DC",
    "http://www.omg.org/spec/DD/20100524/DI",
    "http://spiffworkflow.org/bpmn/schema/1.0/core",
    "http://www.omg.org/spec/DMN/20151101/dmn.xsd",
    "http://www.omg.org/spec/DMN/20180521/MODEL/",
    "http://www.omg.org/spec/DMN/20180521/DMNDI/",
    "http://www.omg.org/spec/DMN/20180521/DC/",
    "http://www.omg.org/spec/DMN/20180521/DI/",
    "https://www.omg.org/spec/DMN/20191111/MODEL/",
    "https://www.omg.org/spec/DMN/20191111/DMNDI/",
    "http://bpmn.io/schema/dmn/biodi/1.0",  # dmn-js's own layout of DMN 1.1 tables (positions only)
    "http://bpmn.io/schema/dmn/biodi/2.0",
})
#: Attribute vocabularies a browser acts on (links, scripts, inclusion).
ACTIVE_ATTRIBUTE_NAMESPACES = frozenset({
    "http://www.w3.org/1999/xhtml",
    "http://www.w3.org/2000/svg",
    "http://www.w3.org/1999/xlink",
    "http://www.w3.org/2001/XInclude",
    "http://www.w3.org/1999/XSL/Transform",
})
MAX_PER_FILE = 10  # one bad paste can hold hundreds of elements: the first few say enough


def _namespace(name):
    return etree.QName(name).namespace or ""


def _owner_id(element):
    """The id of the nearest element that has one (the step the markup was pasted into)."""
    while element is not None:
        if element.get("id"):
            return element.get("id")
        element = element.getparent()
    return None


def _foreign_element(element, file_name):
    namespace = _namespace(element)
    name = f"{element.prefix}:{etree.QName(element).localname}" if element.prefix else etree.QName(element).localname
    return Problem(f"The element <{name}> (namespace '{namespace or 'none'}') is not allowed in a diagram: only "
                   "BPMN, DMN and spiffworkflow elements are; documentation is plain text.",
                   element_id=_owner_id(element.getparent()), file_name=file_name, line=element.sourceline,
                   code="foreign_markup", params={"element": name, "namespace": namespace or "—"})


def _foreign_attribute(element, attribute, file_name):
    return Problem(f"The attribute {attribute} is not allowed in a diagram (it belongs to a vocabulary that acts "
                   "in a browser).", element_id=_owner_id(element), file_name=file_name, line=element.sourceline,
                   code="foreign_attribute", params={"attribute": attribute})


def _instruction(instruction, file_name):
    return Problem(f"The file holds a processing instruction <?{instruction.target} …?>: diagrams may hold none "
                   "(the XML declaration is not one).", element_id=_owner_id(instruction.getparent()),
                   file_name=file_name, line=instruction.sourceline, code="processing_instruction",
                   params={"target": instruction.target})


def _walk(element, file_name, problems):
    for child in element:
        if len(problems) >= MAX_PER_FILE:
            return
        if isinstance(child, etree._ProcessingInstruction):
            problems.append(_instruction(child, file_name))
        elif isinstance(child.tag, str):
            if _namespace(child) not in KNOWN_NAMESPACES:
                problems.append(_foreign_element(child, file_name))  # its own children are its own business
                continue
            problems.extend(_foreign_attribute(child, attribute, file_name) for attribute in child.attrib
                            if _namespace(attribute) in ACTIVE_ATTRIBUTE_NAMESPACES)
            _walk(child, file_name, problems)


def foreign_markup_problems(tree, file_name):
    """Every element of a foreign vocabulary and every processing instruction of `tree` (at most a few)."""
    root = tree.getroot()
    problems = [_instruction(node, file_name) for node in (*root.itersiblings(preceding=True), *root.itersiblings())
                if isinstance(node, etree._ProcessingInstruction)]
    if _namespace(root) not in KNOWN_NAMESPACES:
        return problems  # not a diagram at all: the caller says so
    problems.extend(_foreign_attribute(root, attribute, file_name) for attribute in root.attrib
                    if _namespace(attribute) in ACTIVE_ATTRIBUTE_NAMESPACES)
    _walk(root, file_name, problems)
    return problems[:MAX_PER_FILE]
