"""A running case: the only object the services use to drive SpiffWorkflow."""
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.exceptions import SpiffWorkflowException
from SpiffWorkflow.util.task import TaskState

from . import serialization
from .clock import engine_clock
from .errors import RunawayInstance, ScriptError, TaskNotReady
from .scripting import make_script_engine

MAX_TASKS = 5000          # tasks in one instance, subprocesses included
MAX_CALL_DEPTH = 5        # nested call activities
MAX_ENGINE_STEPS = 1000   # engine-run tasks in one completion or timer firing
_TIMER_EVENT_TYPES = {"TimeDateEventDefinition", "DurationTimerEventDefinition", "CycleTimerEventDefinition"}


@dataclass(frozen=True)
class UserTask:
    """A task waiting for a person, as the services need to see it."""

    id: str
    spec_name: str
    label: str
    lane: str | None
    process_id: str
    properties: dict
    data: dict
    # SpiffArena's spiffworkflow:instructionsForEndUser (Markdown there), as written; the pages render it.
    instructions: str = ""


@dataclass(frozen=True)
class EngineStep:
    """One task the engine ran by itself (script, gateway, event, call activity)."""

    spec_name: str
    label: str
    kind: str


class CaseWorkflow:
    def __init__(self, workflow):
        self._wf = workflow
        self._wf.script_engine = make_script_engine()  # not serialized: attach after every restore
        self.steps = []
        self._ready = None  # every completion walks the whole tree: walk it once per change

    # -- life cycle ---------------------------------------------------------------------------
    @classmethod
    def start(cls, loaded, data, *, now):
        case = cls(BpmnWorkflow(loaded.spec, loaded.subprocess_specs))
        start_task = case._wf.task_tree
        start_task.data.update(data)
        case._run_engine(now)
        return case

    @classmethod
    def restore(cls, document, loaded):
        """Restore a stored document of a case running on the version `loaded` was parsed from."""
        try:
            return cls(serialization.load(document, loaded))
        except (KeyError, TypeError, ValueError) as error:
            raise ScriptError(f"the stored workflow could not be restored: {error}") from None

    def serialize(self):
        return serialization.dump(self._wf)

    # -- reading ------------------------------------------------------------------------------
    @property
    def completed(self):
        return self._wf.completed

    def ready_user_tasks(self):
        if self._ready is None:
            self._ready = [self._view(task) for task in self._wf.get_tasks(state=TaskState.READY, manual=True)]
        return list(self._ready)

    def _view(self, task):
        spec = task.task_spec
        # A multi-instance step's instances run a spec SpiffWorkflow names "<id> [child]": the step is
        # known by its diagram id (forms, need-to-know, lists), one row per instance.
        return UserTask(
            id=str(task.id), spec_name=spec.bpmn_id or spec.name, label=spec.bpmn_name or spec.name,
            lane=spec.lane, process_id=task.workflow.spec.name,
            properties=dict(spec.extensions.get("properties", {})), data=dict(task.data),
            instructions=(spec.extensions.get("instructionsForEndUser") or "").strip())

    def facts(self):
        """The case's data as the latest completed task left it (the whole data when finished)."""
        if self._wf.completed:
            return dict(self._wf.data)
        last = self._wf.last_task
        return dict(last.data) if last is not None else {}

    def pending_timers(self):
        """[(timer name, due datetime)] for every timer the instance waits on."""
        timers = []
        for event in self._wf.waiting_events():
            if event.event_type in _TIMER_EVENT_TYPES and event.value:
                try:
                    timers.append((event.name, datetime.fromisoformat(event.value)))
                except ValueError:
                    continue
        return timers

    def next_timer_at(self):
        due = [when for _, when in self.pending_timers()]
        return min(due) if due else None

    def task_count(self):
        return len(self._wf.tasks) + sum(len(sp.tasks) for sp in self._wf.subprocesses.values())

    # -- acting -------------------------------------------------------------------------------
    def complete(self, task_id, data, *, now):
        """Complete the READY user task `task_id` with `data`, then run the engine until it waits."""
        task = self._find(task_id)
        if task is None or task.state != TaskState.READY or not task.task_spec.manual:
            # SpiffWorkflow would happily run a completed task again: refuse it here.
            raise TaskNotReady(f"task {task_id} is not waiting for anyone")
        task.data.update(data)
        self._ready = None
        try:
            with engine_clock(now):
                task.run()
        except SpiffWorkflowException as error:
            raise self._script_error(error, task) from None
        self._run_engine(now)

    def reopen(self, task_id, data):
        """Make the COMPLETED user task `task_id` READY again with `data`, dropping what followed it.

        A correction (services/corrections.py): the task keeps its id, its descendants are removed
        by SpiffWorkflow's `reset_from_task_id`, and TaskNotReady refuses a task that is not a
        completed user task or one after which a person already completed another step.
        """
        task = self._find(task_id)
        if task is None or task.state != TaskState.COMPLETED or not task.task_spec.manual:
            raise TaskNotReady(f"task {task_id} is not a completed user task")
        if any(t is not task and t.task_spec.manual and t.state == TaskState.COMPLETED for t in task):
            raise TaskNotReady(f"a step after task {task_id} has been completed")
        self._wf.reset_from_task_id(task.id, data=dict(task.parent.data) | dict(data))
        self._ready = None
        if task.state != TaskState.READY:
            raise TaskNotReady(f"task {task_id} could not be made ready again")

    def fire_due_timers(self, *, now):
        """Fire every timer due at `now`; return the names of those that fired."""
        due = [name for name, when in self.pending_timers() if when < now]  # strict, as SpiffWorkflow compares
        if due:
            self._run_engine(now)
        return due

    def _find(self, task_id):
        try:
            return self._wf.get_task_from_id(UUID(str(task_id)))
        except (ValueError, KeyError, SpiffWorkflowException):
            return None

    def _run_engine(self, now):
        self._ready = None
        def record(task):
            if len(self.steps) >= MAX_ENGINE_STEPS:
                raise RunawayInstance(f"more than {MAX_ENGINE_STEPS} engine steps in one run")
            if task.workflow.depth > MAX_CALL_DEPTH:
                raise RunawayInstance(f"call activities nested deeper than {MAX_CALL_DEPTH}")
            spec = task.task_spec
            self.steps.append(EngineStep(spec.name, spec.bpmn_name or "", type(spec).__name__))

        try:
            with engine_clock(now):
                self._wf.refresh_timers()
                self._wf.do_engine_steps(did_complete_task=record)
        except (RunawayInstance, ScriptError):
            raise
        except SpiffWorkflowException as error:
            raise self._script_error(error) from None
        if self.task_count() > MAX_TASKS:
            raise RunawayInstance(f"the instance has more than {MAX_TASKS} tasks")

    @staticmethod
    def _script_error(error, task=None):
        failing = getattr(error, "task", None) or task
        spec_name = failing.task_spec.name if failing is not None else None
        cause = error.__cause__ or getattr(error, "exception", None) or error
        if isinstance(error.__context__, ScriptError) and not isinstance(cause, ScriptError):
            cause = error.__context__  # a script's failure the library re-raised in its own words: ours say why
        message = str(cause) if str(cause) else type(cause).__name__
        return ScriptError(f"{spec_name or 'a step'}: {message}", task_spec=spec_name,
                           line=getattr(error, "line_number", None) or getattr(cause, "line", None),
                           code=getattr(cause, "code", None), params=getattr(cause, "params", None))
