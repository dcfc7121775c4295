"""Moving a running case to a new version of its diagrams, when that is safe.

Safe means: no step the case has completed, or is at, was changed or removed in the new version
(SpiffWorkflow's own spec diff decides what "changed" means, attribute by attribute). Steps that
lie ahead may change freely. A case that cannot move finishes on its version.
"""
from dataclasses import dataclass

from SpiffWorkflow.bpmn.util.diff import SpecDiff, WorkflowDiff, migrate_workflow
from SpiffWorkflow.util.task import TaskState

from . import serialization
from .workflow import CaseWorkflow

_REACHED = TaskState.COMPLETED | TaskState.READY | TaskState.WAITING | TaskState.STARTED | TaskState.ERROR


@dataclass(frozen=True)
class MigrationCheck:
    safe: bool
    reasons: tuple  # (element id, label, what) for every reached step that changed


def _workflows_and_specs(workflow, new_loaded):
    """(sub)workflows of a case paired with the spec they would run on in the new version."""
    pairs = [(workflow, new_loaded.spec)]
    for subprocess in workflow.subprocesses.values():
        pairs.append((subprocess, new_loaded.subprocess_specs.get(subprocess.spec.name)))
    return pairs


def _diffs(workflow, new_loaded):
    registry = serialization.registry()
    for sub, new_spec in _workflows_and_specs(workflow, new_loaded):
        if new_spec is None:
            yield sub, None, None
        else:
            spec_diff = SpecDiff(registry, sub.spec, new_spec)
            yield sub, spec_diff, WorkflowDiff(sub, spec_diff)


def check_migration(document, old_loaded, new_loaded):
    workflow = serialization.load(document, old_loaded)
    reasons = []
    for sub, spec_diff, _ in _diffs(workflow, new_loaded):
        if spec_diff is None:
            reasons.append((sub.spec.name, sub.spec.name, "removed"))
            continue
        changed, removed = spec_diff.changed, set(spec_diff.removed)
        for task in sub.get_tasks(state=_REACHED, skip_subprocesses=True):
            spec = task.task_spec
            if spec in removed:
                reasons.append((spec.name, spec.bpmn_name or spec.name, "removed"))
            elif spec in changed:
                reasons.append((spec.name, spec.bpmn_name or spec.name, "changed: " + ", ".join(changed[spec])))
    unique = tuple(dict.fromkeys(reasons))
    return MigrationCheck(not unique, unique)


def migrate(document, old_loaded, new_loaded):
    """The case moved onto the new version's specs (call check_migration first)."""
    workflow = serialization.load(document, old_loaded)
    for sub, spec_diff, workflow_diff in list(_diffs(workflow, new_loaded)):
        migrate_workflow(workflow_diff, sub, spec_diff and _new_spec(sub, workflow, new_loaded))
    workflow.subprocess_specs = dict(new_loaded.subprocess_specs)
    return CaseWorkflow(workflow)


def _new_spec(sub, top, new_loaded):
    return new_loaded.spec if sub is top else new_loaded.subprocess_specs[sub.spec.name]
