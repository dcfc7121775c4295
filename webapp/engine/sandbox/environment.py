"""The script environment SpiffWorkflow calls: diagram code goes to a worker.

(Except plain comparisons of names and constants, which cannot run away: see plain.py.)

Only the task data the code names crosses the pipe (restricted code cannot reach a name it does
not spell out), and only what it names comes back: a script sets, changes or deletes its own
names, never other task data. Compile errors are found here, before any worker is asked.
"""
from SpiffWorkflow.bpmn.script_engine.python_environment import BasePythonScriptEngineEnvironment

from .. import restricted
from ..errors import ScriptError
from ..restricted import SCRIPT_HELPERS, compile_script, referenced_names
from .plain import is_plain
from .pool import SandboxFailure, pool


def _named(mapping, names):
    return {name: mapping[name] for name in names if name in mapping} if mapping else {}


def _check_no_clash(context):
    clashes = SCRIPT_HELPERS.keys() & context.keys()
    if clashes:
        raise ScriptError(f"task data overwrites helper names: {', '.join(sorted(clashes))}")


def _failure(reply):
    kind = reply.get("kind")
    message = str(reply.get("error") or "the code failed")
    if kind == "timeout":
        return SandboxFailure(message, kind, seconds=pool().limits.time_budget)
    if kind == "memory":
        return SandboxFailure(message, kind, limit_mb=pool().limits.memory_mb)
    if kind == "unstorable":
        return SandboxFailure(message, "unstorable", name=str(reply.get("name") or "?"),
                              type=str(reply.get("type") or "?"))
    if kind == "too_many_items":
        return SandboxFailure(message, kind, name=str(reply.get("name") or "?"), size=reply.get("size"),
                              limit=reply.get("limit"))
    line = reply.get("line")
    return ScriptError(message, line=line if isinstance(line, int) else None)


class SandboxedEnvironment(BasePythonScriptEngineEnvironment):
    def __init__(self):
        super().__init__(SCRIPT_HELPERS)

    def evaluate(self, expression, context, external_context=None):
        source = expression.strip()
        compile_script(source, "eval")
        _check_no_clash(context)
        if is_plain(source):  # a comparison of names and constants: nothing a worker would add
            return restricted.evaluate(source, context, external_context, pool().limits.time_budget)
        names = referenced_names(source, "eval")
        reply = pool().run({"op": "eval", "source": source, "data": _named(context, names),
                            "external": _named(external_context, names)})
        if not reply["ok"]:
            raise _failure(reply)
        return reply.get("value")

    def execute(self, script, context, external_context=None):
        compile_script(script, "exec")
        _check_no_clash(context)
        names = referenced_names(script, "exec")
        reply = pool().run({"op": "exec", "source": script, "data": _named(context, names),
                            "external": _named(external_context, names)})
        if not reply["ok"]:
            raise _failure(reply)
        data, deleted = reply.get("data"), reply.get("deleted")
        if not isinstance(data, dict) or not isinstance(deleted, list):
            raise SandboxFailure("a sandbox worker sent a malformed reply", "malformed")
        # Only names the script spells can change: a reply naming anything else is ignored.
        for name in deleted:
            if name in names:
                context.pop(name, None)
        context.update({name: value for name, value in data.items() if name in names})
        return True

    def call_service(self, context, **kwargs):
        raise ScriptError("service tasks are not available in this application")
