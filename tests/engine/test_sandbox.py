"""The sandbox: diagram code under hard limits it cannot catch or lift, in worker processes.

Each hostile input here is built so that the deployment checks cannot see it (the numbers come
from the task data), to prove the run-time limit holds on its own.
"""
import time
from datetime import UTC, datetime

import pytest

from webapp import rules
from webapp.engine import CaseWorkflow, RunawayInstance, ScriptError, load_process
from webapp.engine.sandbox import SandboxedEnvironment, SandboxFailure, SandboxLimits, configure, pool

BUDGET = 0.5
NOW = datetime(2026, 1, 5, tzinfo=UTC)


@pytest.fixture()
def one_worker():
    """A pool of one worker, so every call below lands in the same process."""
    configure(SandboxLimits(time_budget=BUDGET, workers=1))
    pool().warm()  # a worker's start is not the code's time
    yield SandboxedEnvironment()
    configure(SandboxLimits())


def _stopped_within_budget(call):
    started = time.monotonic()
    with pytest.raises(SandboxFailure) as stopped:
        call()
    elapsed = time.monotonic() - started
    assert elapsed < BUDGET + 1.0, f"stopped only after {elapsed:.2f} s"
    return stopped.value


SWALLOWING_LOOP = """
for i in range(n):
    try:
        total = i
    except Exception:
        pass
"""
C_LEVEL = {
    "sum over a huge range (3*10**8)": ("sum(range(three * ten ** 8))", "timeout"),
    "sum over range(10**12)": ("sum(range(ten ** twelve))", "timeout"),
    "exponent tower": ("ten ** ten ** ten", None),
    "string repetition": ("'a' * ten ** ten", "memory"),
}
DATA = {"n": 10 ** 9, "three": 3, "ten": 10, "twelve": 12}


def test_a_loop_that_swallows_the_timeout_is_still_stopped(one_worker):
    failure = _stopped_within_budget(lambda: one_worker.execute(SWALLOWING_LOOP, dict(DATA)))
    assert failure.code == "timeout"
    assert "longer than 0.5 s" in str(failure)


@pytest.mark.parametrize("case", sorted(C_LEVEL))
def test_c_level_work_is_stopped(one_worker, case):
    source, code = C_LEVEL[case]
    failure = _stopped_within_budget(lambda: one_worker.evaluate(source, dict(DATA)))
    assert failure.code in ((code,) if code else ("timeout", "memory"))


def test_the_pool_answers_again_right_after_a_worker_was_killed(one_worker):
    _stopped_within_budget(lambda: one_worker.evaluate("sum(range(ten ** twelve))", dict(DATA)))
    started = time.monotonic()
    assert one_worker.evaluate("vote_passes(6, 9)", {}) is True
    assert time.monotonic() - started < 5


def test_a_worker_that_died_between_requests_is_replaced(one_worker):
    one_worker.evaluate("1", {})
    worker = pool()._idle.queue[-1]
    worker.process.kill()
    worker.process.wait()
    assert one_worker.evaluate("threshold(9)", {}) == 6


def test_a_generator_left_in_the_data_fails_naming_the_variable(one_worker):
    data = {"agree": 1}
    with pytest.raises(SandboxFailure, match="'pending' holds a generator") as failed:
        one_worker.execute("pending = (x for x in [1, 2])\nkept = 1", data)
    assert failed.value.code == "unstorable" and failed.value.params["name"] == "pending"
    assert data == {"agree": 1}  # nothing half-written


@pytest.mark.parametrize("source, name", [
    ("day = as_date('2026-01-05')", "day"),
    ("tags = {'a'}", "tags"),
    ("table = {1: 'a'}", "table"),
])
def test_values_the_case_cannot_store_are_refused_by_name(one_worker, source, name):
    with pytest.raises(SandboxFailure, match=f"'{name}' holds"):
        one_worker.execute(source, {})


def test_scripts_change_task_data_and_what_they_build(one_worker):
    data = {"results": [{"finding": "clear"}], "other": "untouched", "scratch": 1}
    one_worker.execute("results.append({'finding': 'problem'})\nresults[0]['notes'] = 'ok'\n"
                       "summary = {'n': len(results)}\nsummary['first'] = results[0]['finding']\ndel scratch", data)
    assert data == {"results": [{"finding": "clear", "notes": "ok"}, {"finding": "problem"}],
                    "other": "untouched", "summary": {"n": 2, "first": "clear"}}


def test_datetimes_cross_both_ways(one_worker):
    data = {"when": datetime(2026, 1, 5, 8, 30, tzinfo=UTC)}
    one_worker.execute("later = when", data)
    assert data["later"] == data["when"]
    assert one_worker.evaluate("add_working_days('2026-01-05', 3)", {}).isoformat() == "2026-01-08"


MUTATIONS = [
    "RULE_SETS['2025'] = RULE_SETS['2021']",
    "RULE_SETS.update({'2025': RULE_SETS['2021']})",
    "del RULE_SETS['2025']",
    "RULE_SETS['2025'].cell_vote_fraction = (1, 9)",
    "setattr(RULE_SETS['2025'], 'cell_vote_fraction', (1, 9))",
    "rule_value.x = 1",
    "RuleSet.cell_vote_fraction = (1, 9)",
]


@pytest.mark.parametrize("source", MUTATIONS)
def test_rule_data_cannot_be_changed_by_a_script(one_worker, source):
    with pytest.raises(ScriptError):
        one_worker.execute(source, {})
    # The same worker process, asked next: still 2/3 of the members.
    assert one_worker.evaluate("rule_value('2025', 'cell_vote_fraction')", {}) == [2, 3]
    assert one_worker.evaluate("vote_passes(1, 9, 2, 3)", {}) is False
    assert rules.RULE_SETS["2025"].cell_vote_fraction == (2, 3)


def test_only_the_names_the_code_spells_cross_and_come_back(one_worker):
    data = {"agree": 7, "members": 9, "secret_other": "x" * 1000}
    one_worker.execute("passed = vote_passes(agree, members)", data)
    assert data == {"agree": 7, "members": 9, "secret_other": "x" * 1000, "passed": True}


def test_a_compile_error_is_found_without_a_worker(one_worker):
    with pytest.raises(ScriptError, match="imports"):
        one_worker.execute("import os", {})


HEAD = ('<?xml version="1.0" encoding="UTF-8"?>\n<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"'
        ' id="d" targetNamespace="https://ketnap.example/test"><bpmn:process id="p" isExecutable="true">')


def _many(characteristics):
    return (HEAD + f"""
      <bpmn:startEvent id="s"/>
      <bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="many"/>
      <bpmn:scriptTask id="many"><bpmn:multiInstanceLoopCharacteristics>{characteristics}
        </bpmn:multiInstanceLoopCharacteristics><bpmn:script>x = 1</bpmn:script></bpmn:scriptTask>
      <bpmn:sequenceFlow id="f2" sourceRef="many" targetRef="e"/>
      <bpmn:endEvent id="e"/></bpmn:process></bpmn:definitions>""").encode()


@pytest.mark.parametrize("data", [{"n": 10 ** 9}, {"n": -1}, {"n": "many"}])
def test_a_cardinality_from_the_data_above_the_cap_fails_the_step(data):
    loaded = load_process({"many.bpmn": _many("<bpmn:loopCardinality>n</bpmn:loopCardinality>")}, "p")
    started = time.monotonic()
    with pytest.raises(ScriptError, match="many: the multi-instance cardinality") as failed:
        CaseWorkflow.start(loaded, data, now=NOW)
    assert failed.value.task_spec == "many" and failed.value.code == "cardinality"
    assert time.monotonic() - started < 2


def test_a_multi_instance_over_too_many_items_is_stopped_by_the_engine_caps():
    loaded = load_process({"many.bpmn": _many(
        '<bpmn:loopDataInputRef>items</bpmn:loopDataInputRef><bpmn:inputDataItem id="item" name="item"/>')}, "p")
    with pytest.raises(RunawayInstance):
        CaseWorkflow.start(loaded, {"items": list(range(5000))}, now=NOW)


def test_a_script_cannot_build_a_collection_for_a_runaway_multi_instance():
    """The collection a multi-instance runs over cannot come from a script: a list longer than the
    cardinality cap is refused as the script ends, before the engine creates a task per item."""
    source = _many('<bpmn:loopDataInputRef>items</bpmn:loopDataInputRef><bpmn:inputDataItem id="item" name="item"/>')
    source = source.replace(b'<bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="many"/>',
                            b'<bpmn:sequenceFlow id="f0" sourceRef="s" targetRef="build"/>'
                            b'<bpmn:scriptTask id="build"><bpmn:script>items = list(range(size))</bpmn:script>'
                            b'</bpmn:scriptTask><bpmn:sequenceFlow id="f1" sourceRef="build" targetRef="many"/>')
    loaded = load_process({"many.bpmn": source}, "p")
    started = time.monotonic()
    with pytest.raises(ScriptError, match="'items' holds 200000 items; at most 1000") as failed:
        CaseWorkflow.start(loaded, {"size": 200_000}, now=NOW)
    assert failed.value.code == "too_many_items" and failed.value.task_spec == "build"
    assert time.monotonic() - started < 2
    assert CaseWorkflow.start(loaded, {"size": 3}, now=NOW).completed


def test_a_small_cardinality_runs():
    loaded = load_process({"many.bpmn": _many("<bpmn:loopCardinality>n</bpmn:loopCardinality>")}, "p")
    assert CaseWorkflow.start(loaded, {"n": 3}, now=NOW).completed


def test_plain_comparisons_need_no_worker_and_everything_else_goes_to_one(one_worker, monkeypatch):
    sent = []
    real_run = pool().run
    monkeypatch.setattr(pool(), "run", lambda request: sent.append(request["source"]) or real_run(request))
    data = {"verification_status": "clear", "has_subcommittee": False, "agree": 7}
    assert one_worker.evaluate("verification_status == 'clear' and not has_subcommittee", data) is True
    assert sent == []
    assert one_worker.evaluate("vote_passes(agree, 9)", data) is True
    assert one_worker.evaluate("agree * 2", data) == 14
    assert sent == ["vote_passes(agree, 9)", "agree * 2"]
