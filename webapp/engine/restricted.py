"""The restricted language of diagram code, without SpiffWorkflow: compile, guard, run.

Code is compiled with RestrictedPython (no imports, no ``_``-prefixed names or attributes) and
runs with a minimal set of builtins plus the domain helpers of ``webapp.rules``. A script may
write only its own variables and the task data: the write guard lets through plain dicts, lists
and sets (the task data and what the script built) and nothing else, and the rule data it is
handed is immutable all the way down.

This module is what the sandbox workers run (webapp/engine/sandbox/worker.py), so it imports
nothing heavier than RestrictedPython and the rules. The line tracer below is only a first,
polite limit: the code can defeat it (``except`` swallows the timeout, C-level work never
reaches a line), which is why the hard limits live in a separate process.
"""
import ast
import sys
import time
from functools import lru_cache

from RestrictedPython import compile_restricted_eval, compile_restricted_exec
from RestrictedPython.Eval import default_guarded_getitem, default_guarded_getiter
from RestrictedPython.Guards import (
    guarded_iter_unpack_sequence,
    guarded_unpack_sequence,
    safe_builtins,
    safer_getattr,
)

from .. import rules
from .errors import ScriptError

__all__ = ["SCRIPT_FILE_NAME", "SCRIPT_HELPERS", "ScriptError", "ScriptTimeout", "compile_script", "evaluate",
           "execute", "referenced_names", "run_with_budget"]

SCRIPT_FILE_NAME = "<bpmn-script>"
DEFAULT_TIME_BUDGET = 0.5  # seconds per script or expression

_EXTRA_BUILTINS = {
    name: __builtins__[name] if isinstance(__builtins__, dict) else getattr(__builtins__, name)
    for name in ("min", "max", "sum", "any", "all", "list", "dict", "set", "enumerate", "reversed")
}
_BUILTINS = {**safe_builtins, **_EXTRA_BUILTINS}

_INPLACE = {
    "+=": lambda a, b: a + b, "-=": lambda a, b: a - b, "*=": lambda a, b: a * b,
    "/=": lambda a, b: a / b, "//=": lambda a, b: a // b, "%=": lambda a, b: a % b,
}

#: The helpers a diagram may call: exactly the public domain rules.
SCRIPT_HELPERS = {name: getattr(rules, name) for name in rules.__all__}

#: What `x[k] = v`, `x.a = v` and `del x[k]` may change: the task data and what the script built.
#: Exact types, so no helper, rule set, class or function can be written through a subclass.
_WRITABLE_TYPES = (dict, list, set)


class ScriptTimeout(Exception):
    """The script ran past its time budget."""


def _guarded_write(obj):
    if type(obj) in _WRITABLE_TYPES:
        return obj
    raise ScriptError(f"diagram code may change only its own variables and the task data, "
                      f"not a {type(obj).__name__}")


def _guards():
    return {
        "__builtins__": _BUILTINS,
        "_getattr_": safer_getattr,
        "_getitem_": default_guarded_getitem,
        "_getiter_": default_guarded_getiter,
        "_iter_unpack_sequence_": guarded_iter_unpack_sequence,
        "_unpack_sequence_": guarded_unpack_sequence,
        "_write_": _guarded_write,
        "_inplacevar_": lambda op, a, b: _INPLACE[op](a, b),
    }


@lru_cache(maxsize=1024)
def compile_script(source, mode):
    """Compile `source` ('exec' or 'eval') under the restrictions or raise ScriptError."""
    try:
        tree = ast.parse(source, mode=mode)
    except SyntaxError as error:
        raise ScriptError(f"syntax error on line {error.lineno}: {error.msg}") from None
    if any(isinstance(node, (ast.Import, ast.ImportFrom)) for node in ast.walk(tree)):
        raise ScriptError("imports are not allowed in diagram scripts")
    compiler = compile_restricted_exec if mode == "exec" else compile_restricted_eval
    result = compiler(source, filename=SCRIPT_FILE_NAME)
    if result.errors:
        raise ScriptError("; ".join(result.errors))
    return result.code


@lru_cache(maxsize=1024)
def referenced_names(source, mode):
    """Every plain name the code mentions: the only task data it can read, write or delete.

    Restricted code has no globals(), locals() or vars(), so a name it does not spell out is a
    name it cannot reach; the sandbox sends only these across.
    """
    tree = ast.parse(source, mode=mode)
    return frozenset(node.id for node in ast.walk(tree) if isinstance(node, ast.Name))


def run_with_budget(function, budget):
    """Call `function` with a line tracer that stops it once `budget` seconds are spent."""
    deadline = time.monotonic() + budget

    def tracer(frame, event, arg):
        if time.monotonic() > deadline:
            raise ScriptTimeout(f"the script ran longer than {budget:g} s and was stopped")
        return tracer

    previous = sys.gettrace()
    sys.settrace(tracer)
    try:
        return function()
    finally:
        sys.settrace(previous)


def namespace_for(context, external_context=None):
    """Guards, helpers, then the task data; task data may not take a helper's name."""
    clashes = SCRIPT_HELPERS.keys() & context.keys()
    if clashes:
        raise ScriptError(f"task data overwrites helper names: {', '.join(sorted(clashes))}")
    namespace = _guards()
    namespace.update(SCRIPT_HELPERS)
    namespace.update(external_context or {})
    namespace.update(context)
    return namespace


def evaluate(expression, context, external_context=None, budget=DEFAULT_TIME_BUDGET):
    """The value of `expression` against `context` (the task data)."""
    code = compile_script(expression.strip(), "eval")
    namespace = namespace_for(context, external_context)
    return run_with_budget(lambda: eval(code, namespace), budget)


def execute(script, context, external_context=None, budget=DEFAULT_TIME_BUDGET):
    """Run `script`, then write what it set, changed or deleted back into `context`."""
    code = compile_script(script, "exec")
    namespace = namespace_for(context, external_context)
    reserved = set(namespace) - set(context)
    run_with_budget(lambda: exec(code, namespace), budget)
    for name in list(context):
        if name not in namespace:
            del context[name]
    for name, value in namespace.items():
        if name in reserved:
            if value is not SCRIPT_HELPERS.get(name, value):
                raise ScriptError(f"the script assigns '{name}', which is the name of a helper")
            continue
        if name.startswith("_") or callable(value):
            continue
        context[name] = value
