"""The audit chain at a province's size: one whole walk, and the integrity page after it.

A demo organisation with a few real cases, then N more events chained onto them exactly as
`append_event` chains them (keyed HMAC over the canonical event; a province's 200,000 cases leave
some 30 events each, so 6 million). Then: the whole walk (`flask audit verify`, the worker's daily
check: what every view of the integrity page cost before walks were stored), the raw HMAC cost
beside it, and the integrity page as the province's auditor, after the walk and with newer events
appended since.

    .venv/bin/python bench/integrity.py [--events 1000000] [--backends postgres] [--requests 50]
"""
import argparse
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from flask import current_app
from sqlalchemy import func, insert, select, text

from bench.common import ROOT, make_app, summary
from bench.inbox import signed_in
from webapp.demo import CaseDriver, build_world
from webapp.extensions import db
from webapp.models import AuditHead, InstanceEvent, ProcessInstance, RoleAssignment, User
from webapp.services import deploy, files_from_directories, record_verification, register_and_start
from webapp.services.audit import _link

START = datetime(2025, 9, 1, 2, 0, tzinfo=UTC)
BATCH = 20_000


class _Event:
    """The columns `_link` reads, for an event not yet stored."""

    def __init__(self, **columns):
        self.__dict__.update(columns)


def _real_cases(tree, users):
    cases, driver = [], CaseDriver(START)
    for number, cell in enumerate(tree["cells"]):
        fields = {"full_name": f"Học sinh {number}", "date_of_birth": datetime(2007, 3, 15).date(), "sex": "M",
                  "citizen_id": f"00120700{number:04d}", "school": cell.name, "class_name": "12A1",
                  "youth_union_member": True}
        case = register_and_start(users[(cell.code, "cell_secretary")], cell.id, fields, now=START)
        driver.run(case.id, until="write_application")
        cases.append(case.id)
    db.session.commit()
    return cases


def _append_synthetic(count, case_ids):
    """`count` events on these cases, chained after the head, in batches; returns the seconds spent on HMACs."""
    key = current_app.config["AUDIT_KEY"]
    head = db.session.get(AuditHead, 1)
    seq, prev_hash, hashing = head.last_seq, head.last_hash, 0.0
    for start in range(0, count, BATCH):
        rows = []
        for _ in range(min(BATCH, count - start)):
            seq += 1
            event = _Event(seq=seq, instance_id=case_ids[seq % len(case_ids)], kind="task_completed",
                           occurred_at=START + timedelta(minutes=seq), actor_id=None, actor_name="Bench",
                           actor_role="cell_secretary", actor_unit_id=None, task_spec="plan_cell_meeting",
                           payload={"decision": "approve", "votes_for": 9, "votes_against": 0,
                                    "note": "Chi bộ đồng ý đề nghị kết nạp quần chúng vào Đảng."})
            started = time.perf_counter()
            event.hash = _link(key, prev_hash, event)
            hashing += time.perf_counter() - started
            event.prev_hash, prev_hash = prev_hash, event.hash
            rows.append(dict(event.__dict__))
        db.session.execute(insert(InstanceEvent), rows)
        head.last_seq, head.last_hash = seq, prev_hash
        db.session.commit()
        print(f"    {start + len(rows):>9} events appended", flush=True)
    return hashing


def run_backend(backend, events, requests, warmup):
    print(f"\n[{backend}]")
    app = make_app(backend)
    with app.app_context():
        deploy(files_from_directories(ROOT / "processes", ROOT / "forms"), comment="bench")
        tree, users = build_world(START)
        db.session.commit()
        case_ids = _real_cases(tree, users)
        started = time.perf_counter()
        hashing = _append_synthetic(events, case_ids)
        total = db.session.execute(select(AuditHead.last_seq)).scalar()
        print(f"  {total} events ({events} appended in {time.perf_counter() - started:.1f} s, "
              f"of which HMACs {hashing:.1f} s = {hashing / events * 1e6:.1f} µs per event)")
        db.session.commit()
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("VACUUM ANALYZE instance_event" if backend == "postgres" else "ANALYZE"))
        started = time.perf_counter()
        _walk, report = record_verification("command")
        walk_seconds = time.perf_counter() - started
        assert report.intact, report.reason
        print(f"  whole walk: {report.checked} events in {walk_seconds:.1f} s "
              f"({walk_seconds / report.checked * 1e6:.1f} µs per event; HMAC alone {hashing / events * 1e6:.1f})")
        # A day's newer events (a province: some 600 completions and views a day), checked by the page.
        driver = CaseDriver(START + timedelta(days=1))
        for case_id in case_ids:
            driver.run(case_id, until="plan_cell_meeting")
        newer = db.session.execute(select(AuditHead.last_seq)).scalar() - total
        auditor = db.session.execute(
            select(RoleAssignment.id).join(User, User.id == RoleAssignment.user_id)
            .where(User.username == "tq.auditor")).scalar_one()
        cases = db.session.execute(select(func.count()).select_from(ProcessInstance)).scalar()
        db.session.remove()
    client = signed_in(app, "tq.auditor", auditor)
    for _ in range(warmup):
        client.get("/audit/integrity")
    samples = []
    for _ in range(requests):
        started = time.perf_counter()
        response = client.get("/audit/integrity")
        samples.append(time.perf_counter() - started)
    assert 'data-intact="yes"' in response.get_data(as_text=True)
    stats = summary(samples)
    print(f"  integrity page ({cases} cases, {newer} events newer than the walk): "
          f"median {stats['median_ms']:.1f} ms  p95 {stats['p95_ms']:.1f} ms")
    with app.app_context():
        db.engine.dispose()
    return {"backend": backend, "events": report.checked, "walk_seconds": walk_seconds, "page": stats}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--backends", default="postgres")
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--warmup", type=int, default=3)
    args = parser.parse_args()
    for backend in args.backends.split(","):
        run_backend(backend, args.events, args.requests, args.warmup)


if __name__ == "__main__":
    main()
