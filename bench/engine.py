"""Cost of one task completion: raw SpiffWorkflow vs our service, on SQLite and PostgreSQL.

For every completion the service performs (database, authorisation, inbox sync, audit), the same
completion is replayed on the raw library: restore the stored document, set the data, run the
task, run engine steps, serialize. Pairs are therefore like for like. Also prints the wall time
of complete admission-to-recognition lifecycles.

    .venv/bin/python bench/engine.py [--cases 12] [--backends sqlite,postgres]
"""
import argparse
import json
import sys
import time
from copy import deepcopy
from datetime import UTC, datetime
from pathlib import Path
from uuid import UUID

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from SpiffWorkflow.bpmn.script_engine import PythonScriptEngine
from SpiffWorkflow.bpmn.script_engine.python_environment import TaskDataEnvironment
from SpiffWorkflow.bpmn.serializer import BpmnWorkflowSerializer
from SpiffWorkflow.spiff.serializer.config import SPIFF_CONFIG

from bench.common import ROOT, fmt, make_app, summary
from webapp.demo import CaseDriver, build_world
from webapp.engine import serialization
from webapp.engine.scripting import SCRIPT_HELPERS
from webapp.extensions import db
from webapp.models import HumanTask, ProcessInstance
from webapp.services import (
    active_version,
    complete_task,
    deploy,
    files_from_directories,
    register_and_start,
)
from webapp.services.versions import loaded_version

START = datetime(2026, 1, 5, 2, tzinfo=UTC)


class RecordingDriver(CaseDriver):
    """Times each service completion and keeps what the raw replay needs."""

    def __init__(self, now):
        super().__init__(now)
        self.samples = []
        self.replays = []

    def complete(self, task, overrides=None, actor=None):
        before = db.session.get(ProcessInstance, task.instance_id).serialized
        uuid, task_id = task.task_uuid, task.id
        actor = actor or self.actor_for(task)
        answers = self.answers(task, overrides)
        self.now += self.step
        db.session.commit()  # start the measured call as a request would: nothing loaded, nothing pending
        started = time.perf_counter()
        result = complete_task(actor, task_id, answers, now=self.now)
        self.samples.append(time.perf_counter() - started)
        submitted = db.session.get(HumanTask, task_id).submitted
        self.replays.append((before, uuid, submitted))
        return result


def raw_completion_times(replays, loaded):
    """The library on its own: its stock serializer (spec embedded), its stock script environment."""
    serializer = BpmnWorkflowSerializer(BpmnWorkflowSerializer.configure(deepcopy(SPIFF_CONFIG)))
    engine = PythonScriptEngine(environment=TaskDataEnvironment(dict(SCRIPT_HELPERS)))
    times = []
    for stored, uuid, data in replays:
        # Untimed: turn our stored state into the library's own document format.
        document = serializer.serialize_json(serialization.load(stored, loaded))
        started = time.perf_counter()
        workflow = serializer.deserialize_json(document)
        workflow.script_engine = engine
        task = workflow.get_task_from_id(UUID(uuid))
        task.data.update(data)
        task.run()
        workflow.do_engine_steps()
        serializer.serialize_json(workflow)
        times.append(time.perf_counter() - started)
    return times


def run_backend(backend, cases):
    app = make_app(backend)
    with app.app_context():
        deploy(files_from_directories(ROOT / "processes", ROOT / "forms"), comment="bench")
        tree, users = build_world(START)
        db.session.commit()
        cells = tree["cells"]
        driver = RecordingDriver(START)
        lifecycle = []
        for index in range(cases):
            cell = cells[index % len(cells)]
            started = time.perf_counter()
            case = register_and_start(users[(cell.code, "cell_secretary")], cell.id, {
                "full_name": f"Học sinh {index}", "date_of_birth": datetime(2007, 1, 1).date(), "sex": "F",
                "citizen_id": f"{index:012d}", "school": cell.name, "class_name": "12A"}, now=driver.now)
            driver.run(case.id)
            lifecycle.append(time.perf_counter() - started)
        version = active_version()
        raw = raw_completion_times(driver.replays, loaded_version(version.id, version.content_hash).process)
        ours = summary(driver.samples)
        raw_stats = summary(raw)
        print(f"\n[{backend}] {len(driver.samples)} completions over {cases} full lifecycles")
        print(fmt("raw SpiffWorkflow (restore+run+steps+serialize)", raw_stats))
        print(fmt("ketnap complete_task (db, authz, inbox, audit)", ours))
        print(f"{'ratio ours / raw':<46} median {ours['median_ms'] / raw_stats['median_ms']:5.2f}x"
              f"  p95 {ours['p95_ms'] / raw_stats['p95_ms']:5.2f}x")
        print(fmt("lifecycle: nomination → official member", summary(lifecycle)))
        size = len(db.session.get(ProcessInstance, 1).serialized)
        print(f"{'stored document of a finished case':<46} {size / 1024:.0f} KiB")
        db.session.remove()
    return {"backend": backend, "raw": raw_stats, "ours": ours, "lifecycle": summary(lifecycle)}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cases", type=int, default=12, help="full lifecycles per backend (each ~23 completions)")
    parser.add_argument("--backends", default="sqlite,postgres")
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args()
    results = [run_backend(backend, args.cases) for backend in args.backends.split(",")]
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
