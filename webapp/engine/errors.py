"""Errors the engine raises; the services translate them for users."""
from dataclasses import dataclass, field


class EngineError(Exception):
    """Base class: something about running a workflow went wrong."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a process definition, tied to the element that has it.

    `message` is English (the command line, logs); `code` and `params` let the pages say it in the
    reader's language (webapp/pages/problems.py).
    """

    message: str
    element_id: str | None = None
    file_name: str | None = None
    line: int | None = None
    code: str | None = None
    params: dict = field(default_factory=dict, compare=False)

    def __str__(self):
        where = ", ".join(p for p in (self.file_name, self.element_id and f"element {self.element_id}") if p)
        return f"{where}: {self.message}" if where else self.message


def not_bpmn(file_name, root_name):
    return Problem(f"The file is not a BPMN diagram (its root element is <{root_name}>, not <bpmn:definitions>).",
                   file_name=file_name, code="not_bpmn", params={"root": root_name})


class ProcessDefinitionError(EngineError):
    """The diagrams cannot be parsed or do not describe a runnable process."""

    def __init__(self, problems):
        self.problems = list(problems)
        super().__init__("; ".join(str(p) for p in self.problems))


class ScriptError(EngineError):
    """A script or condition of the diagram failed; the task it belongs to stays open."""

    def __init__(self, message, *, task_spec=None, line=None, code=None, params=None):
        self.task_spec = task_spec
        self.line = line
        self.code = code  # why, when the sandbox stopped it ("timeout", "memory", …), for the services to word
        self.params = params or {}
        super().__init__(message)


class TaskNotReady(EngineError):
    """The task is no longer (or not yet) waiting for a person."""


class RunawayInstance(EngineError):
    """The instance went past a safety cap (tasks, call depth, engine steps)."""
