"""The script engine every script, condition, timer expression, cardinality and DMN cell runs in.

The stock SpiffWorkflow environment is plain ``eval``/``exec`` with full builtins. Here code is
compiled with RestrictedPython (webapp/engine/restricted.py) and evaluated in a sandbox worker
process under hard time and memory limits (webapp/engine/sandbox/). `RestrictedEnvironment`
evaluates in-process under the same restrictions but only the soft line-tracer budget: the
benchmark compares the two, and tests of the restricted language use it.
"""
from SpiffWorkflow.bpmn.exceptions import WorkflowTaskException
from SpiffWorkflow.bpmn.script_engine import PythonScriptEngine
from SpiffWorkflow.bpmn.script_engine.python_environment import BasePythonScriptEngineEnvironment
from SpiffWorkflow.bpmn.specs.mixins.multiinstance_task import MultiInstanceTask

from . import restricted
from .errors import ScriptError
from .restricted import DEFAULT_TIME_BUDGET, SCRIPT_FILE_NAME, SCRIPT_HELPERS, ScriptTimeout, compile_script
from .sandbox import SandboxedEnvironment, SandboxFailure, pool

__all__ = ["DEFAULT_TIME_BUDGET", "SCRIPT_FILE_NAME", "SCRIPT_HELPERS", "DiagramScriptEngine",
           "RestrictedEnvironment", "ScriptTimeout", "compile_script", "make_script_engine"]


class RestrictedEnvironment(BasePythonScriptEngineEnvironment):
    """In-process evaluation under the restrictions, stopped by a line tracer (a soft limit)."""

    def __init__(self, time_budget=DEFAULT_TIME_BUDGET):
        super().__init__(SCRIPT_HELPERS)
        self.time_budget = time_budget

    def evaluate(self, expression, context, external_context=None):
        return restricted.evaluate(expression, context, external_context, self.time_budget)

    def execute(self, script, context, external_context=None):
        restricted.execute(script, context, external_context, self.time_budget)
        return True

    def call_service(self, context, **kwargs):
        raise ScriptError("service tasks are not available in this application")


class DiagramScriptEngine(PythonScriptEngine):
    """SpiffWorkflow's engine, plus a cap on multi-instance cardinality.

    SpiffWorkflow creates one task per instance as soon as it has the number: a cardinality of
    10**9 would stop the server in the library, outside any sandbox. The number is checked here,
    the moment it is known.
    """

    def evaluate(self, task, expression, external_context=None):
        value = super().evaluate(task, expression, external_context)
        spec = task.task_spec
        if isinstance(spec, MultiInstanceTask) and expression == getattr(spec, "cardinality", None):
            self._check_cardinality(task, value)
        return value

    @staticmethod
    def _check_cardinality(task, value):
        limit = pool().limits.max_cardinality
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= limit:
            error = SandboxFailure(f"the multi-instance cardinality is {value!r}; it must be a whole number "
                                   f"from 0 to {limit}", "cardinality", value=repr(value)[:40], limit=limit)
            raise WorkflowTaskException(str(error), task=task, exception=error) from error


def make_script_engine():
    return DiagramScriptEngine(environment=SandboxedEnvironment())
