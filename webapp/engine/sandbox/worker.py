"""A sandbox worker: evaluates diagram code sent by the server, one JSON line at a time.

Started by the pool as ``python -I .../worker.py '<limits as JSON>'``. It limits itself before it
reads the first request, with limits the evaluated code has no way to lift (it has no imports):

- RLIMIT_AS: the address space, so an allocation past the limit fails with MemoryError;
- RLIMIT_CPU: re-armed before every request to "CPU used so far + a few seconds", a backstop
  should the server that would kill it on its wall-clock deadline be gone.

It imports only what it evaluates with (RestrictedPython, the rules and the restricted
language), never Flask, SQLAlchemy or SpiffWorkflow: the ``webapp`` packages are registered
without running their ``__init__`` modules. That keeps a worker's start short and its memory small.
"""
import json
import os
import resource
import sys
import traceback
import types
from pathlib import Path

_WEBAPP = Path(__file__).resolve().parent.parent.parent


def _register_packages():
    """Make `webapp.rules` and `webapp.engine.*` importable without the application around them."""
    root = _WEBAPP.parent
    if str(root) not in sys.path:
        sys.path.append(str(root))
    for name, path in (("webapp", _WEBAPP), ("webapp.engine", _WEBAPP / "engine"),
                       ("webapp.engine.sandbox", _WEBAPP / "engine" / "sandbox")):
        package = types.ModuleType(name)
        package.__path__ = [str(path)]
        sys.modules[name] = package


def _limit(limits):
    memory = int(limits["memory_bytes"])
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def _arm_cpu_backstop(cpu_seconds):
    usage = resource.getrusage(resource.RUSAGE_SELF)
    soft = int(usage.ru_utime + usage.ru_stime) + int(cpu_seconds) + 1
    _, hard = resource.getrlimit(resource.RLIMIT_CPU)
    resource.setrlimit(resource.RLIMIT_CPU, (soft, hard))


def _script_line(error, file_name):
    line = None
    for frame in traceback.extract_tb(error.__traceback__):
        if frame.filename == file_name:
            line = frame.lineno
    return line


class Worker:
    def __init__(self, restricted, codec, limits):
        self.restricted, self.codec = restricted, codec
        self.budget, self.time_budget = float(limits["soft_budget"]), float(limits["time_budget"])
        self.max_items = int(limits["max_items"])

    def handle(self, request):
        op, source = request["op"], request["source"]
        context, external = request.get("data") or {}, request.get("external") or {}
        if op == "eval":
            value = self.restricted.evaluate(source, context, external, self.budget)
            return {"ok": True, "value": value}
        before = set(context)
        self.restricted.execute(source, context, external, self.budget)
        self.codec.check_storable(context, self.max_items)
        return {"ok": True, "data": context, "deleted": sorted(before - set(context))}

    def answer(self, line):
        try:
            request = self.codec.loads(line)
            response = self.handle(request)
            try:
                return self.codec.dumps(response)
            except (TypeError, ValueError) as error:
                return self._unsendable(response, error)
        except MemoryError:
            return self.codec.dumps({"ok": False, "kind": "memory", "error": "the code ran out of memory"})
        except self.restricted.ScriptTimeout:
            return self.codec.dumps({"ok": False, "kind": "timeout",
                                     "error": f"the code ran longer than {self.time_budget:g} s and was stopped"})
        except self.codec.TooManyItems as error:
            return self.codec.dumps({"ok": False, "kind": "too_many_items", "error": str(error),
                                     "name": error.name, "size": error.size, "limit": error.limit})
        except self.codec.UnstorableValue as error:
            return self.codec.dumps({"ok": False, "kind": "unstorable", "error": str(error),
                                     "name": error.name, "type": error.type_name})
        except RecursionError:
            return self.codec.dumps({"ok": False, "kind": "script", "error": "the code nests too deeply"})
        except Exception as error:  # noqa: BLE001 - the code's own failure, reported as the step's failure
            message = str(error) or type(error).__name__
            if not isinstance(error, self.restricted.ScriptError):  # our own refusals speak for themselves
                message = f"{type(error).__name__}: {message}"
            return self.codec.dumps({"ok": False, "kind": "script", "error": message,
                                     "line": _script_line(error, self.restricted.SCRIPT_FILE_NAME)})

    def _unsendable(self, response, error):
        """A value JSON cannot carry (NaN, a number of thousands of digits): name it if we can."""
        values = response.get("data") or {"the result": response.get("value")}
        for name, value in values.items():
            try:
                self.codec.dumps(value)
            except (TypeError, ValueError):
                return self.codec.dumps({"ok": False, "kind": "unstorable", "name": name,
                                         "type": type(value).__name__,
                                         "error": f"'{name}' holds a value that cannot be kept in the case's data "
                                                  f"({error})"})
        return self.codec.dumps({"ok": False, "kind": "unstorable", "error": str(error)})


def main():
    limits = json.loads(sys.argv[1])
    _register_packages()
    # Imported only after _register_packages: the webapp packages are registered without running their
    # __init__ (no Flask, SQLAlchemy or SpiffWorkflow in the worker), which a top-level import would run.
    from webapp.engine import restricted  # noqa: PLC0415
    from webapp.engine.sandbox import codec  # noqa: PLC0415

    # The protocol gets its own copy of stdout; fd 1 itself goes to /dev/null so nothing else
    # written there can corrupt a reply.
    replies = os.fdopen(os.dup(1), "wb", buffering=0)
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    requests = sys.stdin.buffer
    _limit(limits)
    worker = Worker(restricted, codec, limits)
    replies.write(b'{"ready":true}\n')
    for line in requests:
        _arm_cpu_backstop(limits["cpu_seconds"])
        replies.write(worker.answer(line))


if __name__ == "__main__":
    main()
