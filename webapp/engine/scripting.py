"""The restricted environment every script, condition and timer expression runs in.

The stock SpiffWorkflow environment is plain ``eval``/``exec`` with full builtins. Here code is
compiled with RestrictedPython (no imports, no ``_``-prefixed names or attributes), runs with a
minimal set of builtins plus the domain helpers of ``webapp.rules``, and is stopped when it
exceeds a time budget.
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
from SpiffWorkflow.bpmn.script_engine import PythonScriptEngine
from SpiffWorkflow.bpmn.script_engine.python_environment import BasePythonScriptEngineEnvironment

from webapp import rules

from .errors import ScriptError

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


class ScriptTimeout(Exception):
    """The script ran past its time budget."""


def _guards():
    return {
        "__builtins__": _BUILTINS,
        "_getattr_": safer_getattr,
        "_getitem_": default_guarded_getitem,
        "_getiter_": default_guarded_getiter,
        "_iter_unpack_sequence_": guarded_iter_unpack_sequence,
        "_unpack_sequence_": guarded_unpack_sequence,
        "_write_": lambda obj: obj,
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


def _run_with_budget(function, budget):
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


class RestrictedEnvironment(BasePythonScriptEngineEnvironment):
    """Evaluates and executes diagram code against a task's data, under restrictions."""

    def __init__(self, time_budget=DEFAULT_TIME_BUDGET):
        super().__init__(SCRIPT_HELPERS)
        self.time_budget = time_budget

    def _namespace(self, context, external_context):
        clashes = set(self.globals) & set(context)
        if clashes:
            raise ScriptError(f"task data overwrites helper names: {', '.join(sorted(clashes))}")
        namespace = _guards()
        namespace.update(self.globals)
        namespace.update(external_context or {})
        namespace.update(context)
        return namespace

    def evaluate(self, expression, context, external_context=None):
        code = compile_script(expression.strip(), "eval")
        namespace = self._namespace(context, external_context)
        return _run_with_budget(lambda: eval(code, namespace), self.time_budget)

    def execute(self, script, context, external_context=None):
        code = compile_script(script, "exec")
        namespace = self._namespace(context, external_context)
        reserved = set(namespace) - set(context)
        _run_with_budget(lambda: exec(code, namespace), self.time_budget)
        # Write back what the script set or changed; drop helpers, guards and anything callable.
        for name in list(context):
            if name not in namespace:
                del context[name]
        for name, value in namespace.items():
            if name in reserved:
                if value is not self.globals.get(name, value):
                    raise ScriptError(f"the script assigns '{name}', which is the name of a helper")
                continue
            if name.startswith("_") or callable(value):
                continue
            context[name] = value
        return True

    def call_service(self, context, **kwargs):
        raise ScriptError("service tasks are not available in this application")


def make_script_engine(time_budget=DEFAULT_TIME_BUDGET):
    return PythonScriptEngine(environment=RestrictedEnvironment(time_budget))
