"""The audit trail: append events to the keyed hash chain, and verify it.

Every event stores HMAC(key, previous hash + canonical JSON of the event). Appending locks the
single head row, so two transactions never build on the same link.
"""
import hashlib
import hmac
import json
from dataclasses import dataclass

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


#: What can be wrong with a link, in English for the command line (the pages translate the code).
PROBLEMS = {
    "missing": "event {seq} is missing (the next stored event is {found})",
    "relinked": "it does not point at the previous event's hash",
    "edited": "its content does not match its hash (edited)",
    "truncated": "the chain ends at event {found} but {seq} were written (deleted at the end)",
    "rewound": "the chain ends at event {found}, before event {seq} that an earlier verification saw",
}


@dataclass
class ChainReport:
    checked: int = 0
    first_broken_seq: int | None = None
    problem: str | None = None  # a key of PROBLEMS
    reason: str = ""
    last_seq: int = 0  # verified up to this event …
    last_hash: str = GENESIS  # … whose hash is this
    complete: bool = True  # False when `limit` stopped the walk before the head

    @property
    def intact(self):
        return self.first_broken_seq is None

    def broken(self, seq, problem, **details):
        self.first_broken_seq, self.problem = seq, problem
        self.reason = PROBLEMS[problem].format(seq=seq, **details)
        return self


def verify_chain(*, after_seq=0, after_hash=GENESIS, limit=None, tally=None, batch_size=2000):
    """Walk the chain in order from the event after `after_seq` (trusted, its hash `after_hash`) to the
    head as it was when the walk began; report the first broken link and why.

    Events appended during the walk are left to the next verification (the head is read first), so
    a busy application never looks truncated. `limit` stops after that many events; `tally` (a
    Counter) counts the verified events per case.
    """
    key = current_app.config["AUDIT_KEY"]
    head = db.session.execute(select(AuditHead.last_seq, AuditHead.last_hash).where(AuditHead.id == 1)).one_or_none()
    head_seq, head_hash = head if head is not None else (0, GENESIS)
    report = ChainReport(last_seq=after_seq, last_hash=after_hash)
    if after_seq > head_seq:
        return report.broken(after_seq, "rewound", found=head_seq)
    events = InstanceEvent.__table__
    while report.last_seq < head_seq:
        room = batch_size if limit is None else min(batch_size, limit - report.checked)
        if room <= 0:
            report.complete = False
            return report
        batch = db.session.execute(
            select(events).where(events.c.seq > report.last_seq, events.c.seq <= head_seq)
            .order_by(events.c.seq).limit(room)).all()
        if not batch:
            return report.broken(report.last_seq + 1, "truncated", found=report.last_seq)
        for event in batch:
            expected_seq = report.last_seq + 1
            if event.seq != expected_seq:
                return report.broken(expected_seq, "missing", found=event.seq)
            if event.prev_hash != report.last_hash:
                return report.broken(event.seq, "relinked")
            if not hmac.compare_digest(event.hash, _link(key, report.last_hash, event)):
                return report.broken(event.seq, "edited")
            report.checked += 1
            report.last_seq, report.last_hash = event.seq, event.hash
            if tally is not None and event.instance_id is not None:
                tally[event.instance_id] += 1
    if report.last_seq == head_seq and report.last_hash != head_hash:
        return report.broken(head_seq, "edited")
    return report
