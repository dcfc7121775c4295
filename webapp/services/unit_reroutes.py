"""Which running cases a unit edit reroutes: a step still ahead of them that another body will do.

The gateways of the procedure read delegation, the sub-committee and the grassroots-cell fact
from the unit at the step that depends on them (services/tasks.py), so editing a unit (its kind,
its delegation, its place in the tree, its deciding body) changes where a running case goes next.
Each such fact decides which body does one stage:

- `has_subcommittee` — the sub-committee's appraisal (none without one);
- `grassroots_cell` — the grassroots committee's vote (none in a grassroots cell, which sends
  straight up);
- `delegated` — the decision (admission, recognition): the delegated grassroots committee or the
  deciding body above.

A case is rerouted when a stage it has still ahead is done by another body after the edit than
before. What lies ahead is read from the deployed spec (engine.names_read_ahead) from where the
case stands: its open steps of the main process, and the last step of it completed (a case
waiting on a timer, or inside a called vote). Open steps handed to another unit are the unit
move's own list (organisation_admin._reassign_open_tasks).
"""
from dataclasses import dataclass

from sqlalchemy import select

from ..authz import case_units
from ..authz.lanes import UnitTreeError
from ..engine import names_read_ahead
from ..extensions import db
from ..models import HumanTask, ProcessInstance, ProcessVersion
from .versions import loaded_version

#: stage → (the fact its gateway reads, which unit does it given the case's units; None: nobody)
STAGES = {
    "subcommittee_appraisal": ("has_subcommittee", lambda units: units.subcommittee_id),
    "committee_vote": ("grassroots_cell", lambda units: None if units.grassroots_cell else units.grassroots_id),
    "decision": ("delegated", lambda units: units.grassroots_id if units.delegated else units.deciding_id),
}


@dataclass(frozen=True)
class Reroute:
    """One stage of one running case that another body will do once the edit is saved."""

    case_id: int
    current_step: str
    stage: str  # a key of STAGES
    before: str | None  # the body's name; None: the stage is skipped
    after: str | None


def _bodies(units):
    return {stage: body(units) for stage, (_fact, body) in STAGES.items()}


def running_cells(unit_id, subtree):
    """{cell id: its CaseUnits} of the cells under `unit_id` with running cases, read now."""
    cells = db.session.execute(select(ProcessInstance.unit_id).distinct().where(
        ProcessInstance.unit_id.in_(subtree), ProcessInstance.finished_at.is_(None))).scalars().all()
    found = {}
    for cell_id in cells:
        try:
            found[cell_id] = case_units(cell_id)
        except UnitTreeError:
            found[cell_id] = None  # not placed to run the procedure: its steps cannot open anywhere
    return found


def _positions(instance_ids):
    """{case id: spec names where it stands}: open steps of its own process, and the last completed one."""
    rows = db.session.execute(
        select(HumanTask.instance_id, HumanTask.spec_name, HumanTask.status, HumanTask.id)
        .join(ProcessInstance, ProcessInstance.id == HumanTask.instance_id)
        .where(HumanTask.instance_id.in_(instance_ids), HumanTask.status.in_(("open", "completed")),
               HumanTask.process_id == ProcessInstance.process_id)
    ).all()
    open_steps, last = {}, {}
    for instance_id, spec_name, status, task_id in rows:
        if status == "open":
            open_steps.setdefault(instance_id, set()).add(spec_name)
        elif task_id > last.get(instance_id, (0, None))[0]:
            last[instance_id] = (task_id, spec_name)
    return {i: frozenset(open_steps.get(i, set()) | ({last[i][1]} if i in last else set()))
            for i in set(open_steps) | set(last)}


def reroutes(before, after, names):
    """The Reroutes of the running cases of the cells in `before` ({cell id: CaseUnits before the
    edit}) given `after` (the same, after it) and `names` ({unit id: name})."""
    changed = {}
    for cell_id, units in before.items():
        now = after.get(cell_id)
        if units is None or now is None:
            continue
        stages = {stage: (was, _bodies(now)[stage]) for stage, was in _bodies(units).items()
                  if was != _bodies(now)[stage]}
        if stages:
            changed[cell_id] = stages
    if not changed:
        return ()
    cases = db.session.execute(
        select(ProcessInstance.id, ProcessInstance.unit_id, ProcessInstance.current_step,
               ProcessInstance.version_id, ProcessVersion.content_hash, ProcessInstance.process_id)
        .join(ProcessVersion, ProcessVersion.id == ProcessInstance.version_id)
        .where(ProcessInstance.unit_id.in_(changed), ProcessInstance.finished_at.is_(None))
        .order_by(ProcessInstance.id)).all()
    positions = _positions([case.id for case in cases])
    ahead_of = {}  # (version, process, steps) → names read ahead: cases standing alike cost one walk
    found = []
    for case in cases:
        steps = positions.get(case.id, frozenset())
        key = (case.version_id, case.process_id, steps)
        if key not in ahead_of:
            loaded = loaded_version(case.version_id, case.content_hash).process_for(case.process_id)
            ahead_of[key] = names_read_ahead(loaded, steps)
        for stage, (was, will) in changed[case.unit_id].items():
            if STAGES[stage][0] in ahead_of[key]:
                found.append(Reroute(case.id, case.current_step or "", stage, names.get(was), names.get(will)))
    return tuple(found)
