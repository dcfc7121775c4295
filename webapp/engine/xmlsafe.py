"""Hardened XML parsing for diagrams: no DOCTYPE, no entities, no network, bounded size.

SpiffWorkflow passes no parser of its own to lxml, so every diagram goes through here first
and reaches the library as an already parsed tree.
"""
from lxml import etree

from .errors import Problem, ProcessDefinitionError
from .library_messages import classify, library_problem

MAX_DIAGRAM_BYTES = 2 * 1024 * 1024


def _parser():
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False,
                           huge_tree=False, remove_comments=False)


def parse_xml(data, *, file_name, max_bytes=MAX_DIAGRAM_BYTES):
    """Parse `data` (bytes) into an lxml tree or raise ProcessDefinitionError with one clear reason."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    if not data or not data.strip():
        raise ProcessDefinitionError([Problem("The file is empty.", file_name=file_name, code="empty_file")])
    if len(data) > max_bytes:
        raise ProcessDefinitionError([Problem(
            f"The file is {len(data)} bytes; the limit is {max_bytes} bytes.", file_name=file_name,
            code="too_large", params={"size": len(data), "limit": max_bytes})])
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as error:
        detail = str(error)
        utf8 = classify("not_xml", detail)[0] == "not_utf8"
        message = f"The file is not {'valid UTF-8' if utf8 else 'well-formed'} XML ({error})."
        problem = library_problem("not_xml", detail, message=message, file_name=file_name, line=error.lineno)
        raise ProcessDefinitionError([problem]) from None
    tree = root.getroottree()
    if tree.docinfo.doctype or tree.docinfo.internalDTD is not None:
        raise ProcessDefinitionError([Problem(
            "The file declares a DOCTYPE; diagrams may not declare document types or entities.",
            file_name=file_name, code="doctype")])
    return tree
