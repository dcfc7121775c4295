"""The audit trail: append events to the keyed hash chain, and verify it.

Every event stores HMAC(key, previous hash + canonical JSON of the event). Appending locks the
single head row, so two transactions never build on the same link.
"""
import hashlib
import hmac
import json
from dataclasses import dataclass, field

from flask import current_app
from sqlalchemy import select

from ..extensions import db
from ..models import AuditHead, InstanceEvent

GENESIS = "0" * 64


def _canonical(event):
    body = {
        "seq": event.seq, "instance_id": event.instance_id, "kind": event.kind,
        "occurred_at": event.occurred_at.isoformat(timespec="microseconds"),
        "actor_id": event.actor_id, "actor_name": event.actor_name, "actor_role": event.actor_role,
        "actor_unit_id": event.actor_unit_id, "task_spec": event.task_spec, "payload": event.payload,
    }
    return json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)


def _link(key, prev_hash, event):
    return hmac.new(key.encode(), (prev_hash + _canonical(event)).encode(), hashlib.sha256).hexdigest()


def _head_for_update():
    head = db.session.execute(select(AuditHead).where(AuditHead.id == 1).with_for_update()).scalar_one_or_none()
    if head is None:
        head = AuditHead(id=1, last_seq=0, last_hash=GENESIS)
        db.session.add(head)
        db.session.flush()
    return head


def append_event(*, kind, occurred_at, payload, instance_id=None, actor=None, actor_role=None,
                 actor_unit_id=None, task_spec=None):
    """Add one event to the chain in the caller's transaction (call it last, just before commit)."""
    head = _head_for_update()
    event = InstanceEvent(
        seq=head.last_seq + 1, instance_id=instance_id, kind=kind,
        occurred_at=occurred_at,
        actor_id=actor.id if actor else None, actor_name=actor.full_name if actor else "",
        actor_role=actor_role, actor_unit_id=actor_unit_id, task_spec=task_spec,
        payload=json.loads(json.dumps(payload, default=str)), prev_hash=head.last_hash, hash="")
    event.hash = _link(current_app.config["AUDIT_KEY"], head.last_hash, event)
    db.session.add(event)
    head.last_seq, head.last_hash = event.seq, event.hash
    return event


@dataclass
class ChainReport:
    checked: int = 0
    first_broken_seq: int | None = None
    reason: str = ""
    problems: list = field(default_factory=list)

    @property
    def intact(self):
        return self.first_broken_seq is None


def verify_chain(batch_size=2000):
    """Walk the whole chain in order; report the first broken link and why."""
    key = current_app.config["AUDIT_KEY"]
    report = ChainReport()
    prev_hash, expected_seq, last_id = GENESIS, 1, 0
    while True:
        events = db.session.execute(
            select(InstanceEvent).where(InstanceEvent.id > last_id).order_by(InstanceEvent.id).limit(batch_size)
        ).scalars().all()
        if not events:
            break
        for event in events:
            report.checked += 1
            reason = None
            if event.seq != expected_seq:
                reason = f"event {expected_seq} is missing (next stored event is {event.seq})"
            elif event.prev_hash != prev_hash:
                reason = "it does not point at the previous event's hash"
            elif not hmac.compare_digest(event.hash, _link(key, prev_hash, event)):
                reason = "its content does not match its hash (edited)"
            if reason:
                report.first_broken_seq = min(event.seq, expected_seq)
                report.reason = reason
                return report
            prev_hash, expected_seq, last_id = event.hash, event.seq + 1, event.id
            db.session.expunge(event)  # keep memory flat over long chains
    head = db.session.get(AuditHead, 1)
    if head is not None and (head.last_seq != expected_seq - 1 or head.last_hash != prev_hash):
        report.first_broken_seq = expected_seq
        report.reason = (f"the chain ends at event {expected_seq - 1} but {head.last_seq} were written "
                         "(deleted at the end)")
    return report
