"""Timer expressions: accept what modelers write.

In SpiffWorkflow a timer's text is a Python expression (``"P12M"`` with quotes), but bpmn-js and
Camunda Modeler write bare ISO 8601 (``P12M``, ``2026-07-01T00:00:00``). A bare ISO value is
quoted at load time; anything else is left to the restricted script engine.
"""
import ast
import re

from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition

_ISO_DURATION = re.compile(r"^R?\d*/?P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$")
_ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?$")


def is_bare_iso(text):
    text = text.strip()
    return bool(_ISO_DURATION.match(text) or _ISO_DATETIME.match(text))


def normalise_timer_expression(expression):
    """Quote a bare ISO 8601 timer value so the engine evaluates it as a string."""
    if expression is None:
        return expression
    text = expression.strip()
    return repr(text) if is_bare_iso(text) else text


_PARSERS = {"timeDate": "get_datetime", "timeDuration": "parse_iso_duration",
            "timeCycle": "parse_iso_recurring_interval"}


def literal_timer_error(kind, expression):
    """Why a timer written as a literal (`'P1X'`) will fail when it is reached, or None.

    SpiffWorkflow parses the value only when the timer is reached — months into a case. A literal
    can be parsed now, with the library's own parser; an expression computed from case data cannot.
    """
    try:
        value = ast.literal_eval((expression or "").strip())
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return None  # not a literal: it is computed when the timer is reached
    if not isinstance(value, str) or kind not in _PARSERS:
        return None
    if kind == "timeDate" and value.strip().upper().startswith("P"):
        # SpiffWorkflow would compare the parsed duration with a date-time and fail on every timer check
        return f"'{value}' is a duration, not a date-time: a duration goes in timeDuration"
    try:
        getattr(TimerEventDefinition, _PARSERS[kind])(value)
    except Exception as error:  # noqa: BLE001 — the library raises what it raises; any of it means "unreadable"
        return f"{type(error).__name__}: {error}"
    return None
