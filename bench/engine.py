"""Cost of one task completion: raw SpiffWorkflow vs our service, on SQLite and PostgreSQL.

For every completion the service performs (database, authorisation, inbox sync, audit), the same
completion is replayed on the raw library: restore the stored document, set the data, run the
task, run engine steps, serialize. Pairs are therefore like for like. Also prints the wall time
of complete admission-to-recognition lifecycles, and the cost the sandbox adds: every completion
replayed twice, interleaved, with the diagram code evaluated in-process under the restrictions
and in a sandbox worker process (webapp/engine/sandbox).

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
from webapp.engine.sandbox import SandboxedEnvironment, pool
from webapp.engine.sandbox.plain import is_plain
from webapp.engine.scripting import SCRIPT_HELPERS, DiagramScriptEngine, RestrictedEnvironment
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


class CountingEnvironment:
    """Counts the pieces of code a completion sends to a worker (plain comparisons stay in-process)."""

    def __init__(self, inner):
        self.inner, self.calls = inner, 0

    def __getattr__(self, name):
        return getattr(self.inner, name)

    def evaluate(self, expression, *args, **kwargs):
        self.calls += not is_plain(expression.strip())
        return self.inner.evaluate(expression, *args, **kwargs)

    def execute(self, *args, **kwargs):
        self.calls += 1
        return self.inner.execute(*args, **kwargs)


def isolation_times(replays, loaded):
    """Each completion twice, interleaved (the order alternates): code in-process, code in a worker."""
    pool().warm()
    in_process = CountingEnvironment(RestrictedEnvironment())
    sandboxed = CountingEnvironment(SandboxedEnvironment())
    engines = {"in_process": DiagramScriptEngine(environment=in_process),
               "sandboxed": DiagramScriptEngine(environment=sandboxed)}
    times = {"in_process": [], "sandboxed": [], "added": []}
    calls = []
    for index, (stored, uuid, data) in enumerate(replays):
        order = ("in_process", "sandboxed") if index % 2 == 0 else ("sandboxed", "in_process")
        took = {}
        before = sandboxed.calls
        for kind in order:
            started = time.perf_counter()
            workflow = serialization.load(stored, loaded)
            workflow.script_engine = engines[kind]
            task = workflow.get_task_from_id(UUID(uuid))
            task.data.update(data)
            task.run()
            workflow.do_engine_steps()
            serialization.dump(workflow)
            took[kind] = time.perf_counter() - started
        calls.append(sandboxed.calls - before)
        for kind, seconds in took.items():
            times[kind].append(seconds)
        times["added"].append(took["sandboxed"] - took["in_process"])
    return times, calls


def per_call_times(samples=2000):
    """One small condition, in-process and in a worker, interleaved: the round trip on its own."""
    context = {"verification_status": "clear", "agree": 7, "members": 9}
    environments = {"in_process": RestrictedEnvironment(), "sandboxed": SandboxedEnvironment()}
    times = {"in_process": [], "sandboxed": []}
    for _ in range(samples):
        for kind, environment in environments.items():
            started = time.perf_counter()
            environment.evaluate("vote_passes(agree, members) and verification_status == 'clear'", context)
            times[kind].append(time.perf_counter() - started)
    return times


def print_isolation(replays, loaded):
    times, calls = isolation_times(replays, loaded)
    print(f"\n[sandbox] {len(replays)} completions, each replayed in-process and sandboxed (interleaved)")
    print(fmt("completion, code in-process (restricted)", summary(times["in_process"])))
    print(fmt("completion, code in a sandbox worker", summary(times["sandboxed"])))
    print(fmt("added by the sandbox, per completion", summary(times["added"])))
    ordered = sorted(calls)
    print(f"{'worker round trips per completion':<46} median {ordered[len(ordered) // 2]}  max {ordered[-1]}"
          f"  mean {sum(ordered) / len(ordered):.1f}")
    call = per_call_times()
    print(fmt("one condition in-process", summary(call["in_process"])))
    print(fmt("one condition in a worker (round trip)", summary(call["sandboxed"])))
    return {key: summary(value) for key, value in times.items()}


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
        isolation = print_isolation(driver.replays, loaded_version(version.id, version.content_hash).process)
        print(fmt("ketnap complete_task (db, authz, inbox, audit)", ours))
        print(f"{'ratio ours / raw':<46} median {ours['median_ms'] / raw_stats['median_ms']:5.2f}x"
              f"  p95 {ours['p95_ms'] / raw_stats['p95_ms']:5.2f}x")
        print(fmt("lifecycle: nomination → official member", summary(lifecycle)))
        size = len(db.session.get(ProcessInstance, 1).serialized)
        print(f"{'stored document of a finished case':<46} {size / 1024:.0f} KiB")
        db.session.remove()
    return {"backend": backend, "raw": raw_stats, "ours": ours, "lifecycle": summary(lifecycle),
            "isolation": isolation}


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
