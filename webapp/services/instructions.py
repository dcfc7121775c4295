"""The task data a step's instructions name (SpiffArena writes `{{ field }}` in instructionsForEndUser).

SpiffArena renders its instructions as a Jinja template over the task data; ketnap never evaluates
them as a template (a template is code, written by whoever edits the diagram). A placeholder that
is exactly `{{ name }}` is replaced by the plain value of that task data field, when it is a string,
number or boolean; anything else (`{% if %}`, filters, attributes, unknown names) stays as written.
"""
import re

PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_]{0,99})\s*\}\}")
PLAIN = (str, int, float, bool)


def placeholder_values(instructions, data):
    """((name, value), …) of the plain data fields `instructions` names, in order of first use."""
    names = dict.fromkeys(PLACEHOLDER.findall(instructions or ""))
    return tuple((name, data[name]) for name in names if isinstance(data.get(name), PLAIN))
