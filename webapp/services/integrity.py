"""The audit-chain verification as a reader of one scope sees it (same code as `flask audit verify`)."""
from dataclasses import dataclass

from sqlalchemy import func, select

from ..extensions import db
from ..models import InstanceEvent, ProcessInstance, UnitClosure
from .audit import verify_chain
from .clock import resolve_now


@dataclass(frozen=True)
class IntegrityReport:
    verified_at: object
    checked: int
    in_scope: int
    intact: bool
    first_broken_seq: int | None
    reason: str
    broken_case_id: int | None  # the case of the broken link, when it is in the reader's scope


def integrity_report(acting, *, now=None):
    chain = verify_chain()
    below = select(UnitClosure.descendant_id).where(UnitClosure.ancestor_id == acting.unit_id)
    in_scope = db.session.execute(
        select(func.count()).select_from(InstanceEvent).join(ProcessInstance)
        .where(ProcessInstance.unit_id.in_(below))).scalar()
    broken_case = None
    if not chain.intact:
        # The first broken link may be a deleted row: name the case of the nearest row still there.
        broken_case = db.session.execute(
            select(InstanceEvent.instance_id).join(ProcessInstance)
            .where(InstanceEvent.seq >= chain.first_broken_seq, ProcessInstance.unit_id.in_(below))
            .order_by(InstanceEvent.seq).limit(1)).scalar()
    return IntegrityReport(resolve_now(now), chain.checked, in_scope, chain.intact, chain.first_broken_seq,
                           chain.reason, broken_case)
