"""The auditor's pages on the province-sized database of bench/inbox.py (200,000 cases).

Same data as the inbox benchmark (it is built by the same code): then, signed in as the
province's auditor (every case in scope) and as a district standing committee member, the case
history page of a finished case (its timeline, rule checks and dossier; each auditor view also
appends a `dossier_viewed` audit event, as in production) and the search across cases with
several filters are timed through the Flask test client: median and p95 over N requests.

    .venv/bin/python bench/history.py [--cases 200000] [--backends sqlite,postgres] [--requests 100] [--reuse]
"""
import argparse
import json
import re
import shutil
import sys
import time
from pathlib import Path
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import func, select

from bench.common import ROOT, make_app, summary
from bench.inbox import (
    CAPTURE_START,
    SEARCH,
    Generator,
    after_load,
    build_organisation,
    bulk_insert,
    capture_shapes,
    keyed,
    signed_in,
)
from webapp.demo import build_world
from webapp.extensions import db
from webapp.models import HumanTask, InstanceEvent, OrgUnit, ProcessInstance, RoleAssignment, Student, User
from webapp.rules.names import fold_name
from webapp.services import deploy, files_from_directories

TOTAL = re.compile(r'data-testid="search-total">(\d+)<')


def _pages(finished_case_id):
    return [
        ("history of a finished case", f"/cases/{finished_case_id}/history", 'data-testid="timeline"'),
        ("search, first page", "/audit/cases", 'data-testid="search-total"'),
        ("search by status", "/audit/cases?status=official", 'data-testid="search-total"'),
        ("search by name", f"/audit/cases?q={quote(SEARCH)}", 'data-testid="search-total"'),
        ("search by name, no marks", f"/audit/cases?q={quote(fold_name(SEARCH))}", 'data-testid="search-total"'),
        ("search by step", "/audit/cases?step=record_verification", 'data-testid="search-total"'),
        ("search: overdue, date range", "/audit/cases?overdue=1&from=2025-01-01&to=2026-12-31",
         'data-testid="search-total"'),
        ("CSV of the overdue cases", "/audit/cases.csv?overdue=1", "Mã hồ sơ"),
    ]


def _rows(body):
    """The total a search page announces, or the data rows of a CSV; None for other pages."""
    total = TOTAL.search(body)
    if total:
        return int(total.group(1))
    return body.count("\n") - 1 if body.startswith("\ufeff") else None


def _time(app, label, username, role_id, pages, requests, warmup):
    client = signed_in(app, username, role_id)
    figures = {}
    for name, url, needle in pages:
        url = keyed(client, url)
        for _ in range(warmup):
            client.get(url)
        samples = []
        for _ in range(requests):
            started = time.perf_counter()
            response = client.get(url)
            samples.append(time.perf_counter() - started)
            assert response.status_code == 200, f"{url} as {username}: {response.status_code}"
        body = response.get_data(as_text=True)
        assert needle in body, f"{url} as {username}: {needle} missing"
        stats = summary(samples) | {"rows": _rows(body)}
        figures[name] = stats
        print(f"  {label:<30} {name:<30} rows {stats['rows'] or '':>7}  median {stats['median_ms']:7.2f} ms"
              f"  p95 {stats['p95_ms']:7.2f} ms", flush=True)
    return figures


def _assignment_id(username, role, unit_code):
    return db.session.execute(
        select(RoleAssignment.id).join(User, User.id == RoleAssignment.user_id)
        .join(OrgUnit, OrgUnit.id == RoleAssignment.unit_id)
        .where(User.username == username, RoleAssignment.role == role, OrgUnit.code == unit_code)).scalar_one()


def _load(cases):
    version = deploy(files_from_directories(ROOT / "processes", ROOT / "forms"), comment="bench")
    tree, users = build_world(CAPTURE_START)
    cells = build_organisation(tree)
    db.session.commit()
    shapes, document = capture_shapes(tree, users)
    first_ids = tuple(db.session.execute(select(func.coalesce(func.max(model.id), 0))).scalar()
                      for model in (Student, ProcessInstance, HumanTask))
    generator = Generator(cells, shapes, document, version.id, first_ids)
    db.session.commit()
    (_, instances, _), load_seconds = bulk_insert(generator, cases)
    after_load()
    print(f"  {instances} cases loaded in {load_seconds:.1f} s")


def run_backend(backend, cases, requests, warmup, reuse=False):
    print(f"\n[{backend}]")
    reuse = reuse and backend == "postgres"
    app = make_app(backend, reuse=reuse)
    with app.app_context():
        if reuse:
            print(f"  reusing the {db.session.execute(select(func.count()).select_from(ProcessInstance)).scalar()}"
                  " cases of the previous run")
        else:
            _load(cases)
        finished = db.session.execute(
            select(InstanceEvent.instance_id).where(InstanceEvent.kind == "case_finished")
            .join(ProcessInstance, ProcessInstance.id == InstanceEvent.instance_id)
            .where(ProcessInstance.status == "official").limit(1)).scalar_one()
        events = db.session.execute(select(func.count()).select_from(InstanceEvent)
                                    .where(InstanceEvent.instance_id == finished)).scalar()
        print(f"  history of case {finished} ({events} events)")
        people = [("auditor, whole province", "tq.auditor", _assignment_id("tq.auditor", "auditor", "TQ")),
                  ("district standing committee", "tq-ch.standing_committee",
                   _assignment_id("tq-ch.standing_committee", "standing_committee", "TQ-CH"))]
        database = db.engine.url.database
        db.session.remove()
    pages = _pages(finished)
    figures = {label: _time(app, label, username, role_id,
                            pages if label.startswith("auditor") else pages[1:], requests, warmup)
               for label, username, role_id in people}
    with app.app_context():
        db.engine.dispose()
    if backend == "sqlite":
        shutil.rmtree(Path(database).parent, ignore_errors=True)
    return {"backend": backend, "cases": cases, "pages": figures}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cases", type=int, default=200_000)
    parser.add_argument("--backends", default="sqlite,postgres")
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--json", help="also write the figures to this file")
    parser.add_argument("--reuse", action="store_true",
                        help="PostgreSQL: time the pages on the data a previous run left (migrated to the head)")
    args = parser.parse_args()
    results = [run_backend(backend, args.cases, args.requests, args.warmup, args.reuse)
               for backend in args.backends.split(",")]
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
