"""The audit chain's integrity, as a reader of one scope sees it.

Walking the whole chain re-computes one HMAC per event: minutes for the millions of events of a
province. So the whole walk runs in the background — the worker once a day, `flask audit verify`
on demand — and its result is stored; the page shows the latest walk and checks, live, only the
events appended since (the same `verify_chain`, starting from the last verified link).
"""
import time
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select

from ..extensions import db
from ..models import AuditHead, ChainVerification, InstanceEvent, ProcessInstance
from .audit import ChainReport, verify_chain
from .clock import resolve_now
from .listing import among, unit_ids
from .locking import try_exclusive

#: Newer events the page checks at most; beyond, they wait for the next whole walk.
PAGE_CHECK_LIMIT = 20_000


@dataclass(frozen=True)
class IntegrityReport:
    last_walk: ChainVerification | None  # the latest walk over the whole chain, if any
    verified_at: datetime  # when the newer events were checked: now
    checked: int  # events checked, by that walk and now
    newer_checked: int  # of them, the events appended since that walk, checked now
    unchecked: int  # events appended since that walk, beyond what the page checks
    in_scope: int  # events checked of the cases in the reader's scope
    intact: bool
    first_broken_seq: int | None
    problem: str | None  # a key of services.audit.PROBLEMS
    broken_case_id: int | None  # the case of the broken link, when it is in the reader's scope


def _by_unit(events_per_case):
    """{unit id: events} from {case id: events}."""
    by_unit = Counter()
    ids = list(events_per_case)
    for start in range(0, len(ids), 10_000):
        for case_id, unit_id in db.session.execute(
                select(ProcessInstance.id, ProcessInstance.unit_id)
                .where(among(ProcessInstance.id, ids[start:start + 10_000]))):
            by_unit[unit_id] += events_per_case[case_id]
    return by_unit


def record_verification(source, *, now=None):
    """Walk the whole chain and store what was found (the worker, `flask audit verify`)."""
    started_at = resolve_now(now)
    began = time.monotonic()  # the walk's real duration, also when the clock is given (the worker's `now`)
    per_case = Counter()
    report = verify_chain(tally=per_case)
    finished_at = started_at + timedelta(seconds=time.monotonic() - began)
    walk = ChainVerification(
        source=source, started_at=started_at, finished_at=finished_at, checked=report.checked,
        last_seq=report.last_seq, last_hash=report.last_hash, first_broken_seq=report.first_broken_seq,
        problem=report.problem, events_by_unit={str(unit): n for unit, n in _by_unit(per_case).items()})
    db.session.add(walk)
    db.session.commit()
    return walk, report


def latest_walk():
    return db.session.execute(
        select(ChainVerification).order_by(ChainVerification.started_at.desc(), ChainVerification.id.desc())
        .limit(1)).scalar_one_or_none()


def run_due_verification(max_age, *, now=None):
    """The worker's walk: when the latest is older than `max_age`, by one worker at a time.

    (walk, report), or None when it was not due or another worker is walking.
    """
    now = resolve_now(now)
    if not try_exclusive("audit-chain-walk"):
        db.session.rollback()
        return None
    latest = latest_walk()
    if latest is not None and latest.started_at > now - max_age:
        db.session.rollback()
        return None
    return record_verification("worker", now=now)


def integrity_report(acting, *, now=None):
    walk = latest_walk()
    scope = unit_ids(acting.unit_id)
    in_scope = sum(walk.events_by_unit.get(str(unit), 0) for unit in scope) if walk is not None else 0
    if walk is not None and walk.first_broken_seq is not None:
        # A broken link stays broken and nothing after it can be trusted: nothing newer is checked.
        newer, first_broken_seq, problem = ChainReport(), walk.first_broken_seq, walk.problem
    else:
        per_case = Counter()
        since = {"after_seq": walk.last_seq, "after_hash": walk.last_hash} if walk is not None else {}
        newer = verify_chain(**since, limit=PAGE_CHECK_LIMIT, tally=per_case)
        first_broken_seq, problem = newer.first_broken_seq, newer.problem
        newer_by_unit = _by_unit(per_case)
        in_scope += sum(newer_by_unit[unit] for unit in scope)
    unchecked = 0
    if not newer.complete:
        unchecked = db.session.execute(select(AuditHead.last_seq).where(AuditHead.id == 1)).scalar() - newer.last_seq
    broken_case = None
    if first_broken_seq is not None:  # the case of the broken event, if it is still there and in scope
        broken_case = db.session.execute(
            select(InstanceEvent.instance_id).join(ProcessInstance)
            .where(InstanceEvent.seq == first_broken_seq, among(ProcessInstance.unit_id, scope))).scalar()
    return IntegrityReport(
        last_walk=walk, verified_at=resolve_now(now), checked=(walk.checked if walk else 0) + newer.checked,
        newer_checked=newer.checked, unchecked=unchecked, in_scope=in_scope, intact=first_broken_seq is None,
        first_broken_seq=first_broken_seq, problem=problem, broken_case_id=broken_case)
