"""Diagram code that would run away: refused at deployment, and stopped cleanly if it ever runs.

Run-time cases store the version without validation (store_version), as an older version or a
database edited by hand would hold it, to prove the sandbox holds on its own.
"""
from pathlib import Path

import pytest
import sqlalchemy as sa

from webapp.engine import ProcessDefinitionError
from webapp.engine.sandbox import SandboxLimits, configure, pool
from webapp.extensions import db
from webapp.models import ProcessVersion
from webapp.services import StepFailed, complete_task, deploy, files_from_directories
from webapp.services.versions import store_version

from .helpers import events, facts, instance, open_specs, task_named

ROOT = Path(__file__).resolve().parents[2]
ANCHOR = b"# Counters and flags the later gateways read; set once so every path finds them."

STATIC = {
    "swallowed loop": ("for i in range(10):\n    try:\n        x = i\n    except Exception:\n        pass",
                       "code_catch_all"),
    "bare except": ("try:\n    x = 1\nexcept:\n    pass", "code_catch_all"),
    "while True": ("while True:\n    pass", "code_endless_loop"),
    "exponent tower": ("x = 10**10**10", "code_huge_number"),
    "sum over 3*10**8": ("x = sum(range(3*10**8))", "code_huge_range"),
    "sum over 10**12": ("x = sum(range(10**12))", "code_huge_range"),
    "repetition": ("x = 'a' * 10**10", "code_huge_repeat"),
}


def _files_with(script=None, cardinality=None):
    files = files_from_directories(ROOT / "processes", ROOT / "forms")
    if script is not None:
        files["admission.bpmn"] = files["admission.bpmn"].replace(ANCHOR, script.encode())
    if cardinality is not None:
        files["admission.bpmn"] = files["admission.bpmn"].replace(
            b"<bpmn:multiInstanceLoopCharacteristics>",
            f"<bpmn:multiInstanceLoopCharacteristics><bpmn:loopCardinality>{cardinality}</bpmn:loopCardinality>"
            .encode())
    return files


def _versions():
    return db.session.execute(sa.select(sa.func.count()).select_from(ProcessVersion)).scalar()


@pytest.mark.parametrize("kind", sorted(STATIC))
def test_runaway_code_is_refused_at_deployment_tied_to_its_element(version, kind):
    source, code = STATIC[kind]
    before = _versions()
    with pytest.raises(ProcessDefinitionError) as refused:
        deploy(_files_with(script=source), comment=kind)
    found = [p for p in refused.value.problems if p.code == code]
    assert found and found[0].element_id == "initialise_case" and found[0].file_name == "admission.bpmn"
    assert found[0].params["what"] == "script"
    db.session.rollback()
    assert _versions() == before


def test_a_constant_cardinality_above_the_cap_is_refused(version):
    with pytest.raises(ProcessDefinitionError) as refused:
        deploy(_files_with(cardinality="10**9"), comment="many")
    found = [p for p in refused.value.problems if p.code == "cardinality_too_large"]
    assert found and found[0].element_id == "verify_background"
    assert found[0].params == {"what": "cardinality", "value": 10 ** 9, "limit": 1000}


RUNTIME = {
    "swallowed loop": ("for i in range(10**9):\n    try:\n        x = i\n    except Exception:\n        pass",
                       "chạy quá 0.5 giây"),
    "sum over 3*10**8": ("x = sum(range(3*10**8))", "chạy quá 0.5 giây"),
    "sum over 10**12": ("x = sum(range(10**12))", "chạy quá 0.5 giây"),
    "exponent tower": ("x = 10**10**10", "initialise_case"),
    "repetition": ("x = 'a' * 10**10", "dùng quá giới hạn bộ nhớ"),
    "generator left in the data": ("pending = (c for c in student_name)", "để lại biến “pending” kiểu generator"),
}


@pytest.mark.parametrize("kind", sorted(RUNTIME))
def test_runaway_code_that_got_in_fails_its_step_and_changes_nothing(start_case, driver, kind):
    source, said = RUNTIME[kind]
    store_version(_files_with(script=source), comment=f"hostile: {kind}")
    db.session.commit()
    case = start_case()
    task = driver.run(case.id, until="add_to_sympathiser_list")[0]
    stored, counter, count = instance(case.id).serialized, instance(case.id).lock_version, len(events(case.id))
    with pytest.raises(StepFailed) as failed:
        driver.complete(task)
    message = str(failed.value)
    assert "initialise_case" in message and said in message
    assert "vẫn mở" in message  # the user is told the step is still open
    assert task_named(case.id, "add_to_sympathiser_list").status == "open"
    assert (instance(case.id).serialized, instance(case.id).lock_version) == (stored, counter)
    # Only the record of the failure for the administrators' operations view (issue 15): the case is
    # marked failed and one step_failed event says where; the step itself changed nothing.
    [*_, recorded] = events(case.id)
    assert len(events(case.id)) == count + 1 and recorded.kind == "step_failed"
    assert recorded.payload["element"] == "initialise_case" and instance(case.id).status == "failed"


def test_the_failure_is_worded_in_the_users_language(start_case, driver):
    store_version(_files_with(script="x = sum(range(10**12))"), comment="hostile")
    db.session.commit()
    case = start_case()
    task = driver.run(case.id, until="add_to_sympathiser_list")[0]
    with pytest.raises(StepFailed, match=r"the code of element “initialise_case” ran longer than 0\.5 s"):
        complete_task(driver.actor_for(task), task.id, driver.answers(task), now=driver.now, lang="en")


MUTATIONS = [
    "RULE_SETS['2025'].cell_vote_fraction = (1, 9)",
    "setattr(RULE_SETS['2025'], 'cell_vote_fraction', (1, 9))",
    "RULE_SETS.update({'2025': RULE_SETS['2021']})",
    "RULE_SETS['2025'] = RuleSet(key='2025', label='x', in_force_from=as_date('2025-07-01'), in_force_to=None, "
    "cell_vote_fraction=(1, 9))",
]
# One vote for in the demo cell whose register counts 11 official members: 2/3 of 11 needs 8.
ONE_FOR = {"record_cell_vote": {"agree": 1, "disagree": 8}}


@pytest.fixture()
def one_worker():
    configure(SandboxLimits(workers=1))  # every piece of code below runs in the same worker process
    yield
    configure(SandboxLimits())


@pytest.mark.parametrize("mutation", MUTATIONS)
def test_a_script_changing_the_rules_leaves_other_cases_at_two_thirds(one_worker, start_case, driver, mutation):
    other = start_case("TQ-LN-THPT")  # on the original version, in another unit
    store_version(_files_with(script=mutation), comment="rewrites the rules")
    db.session.commit()
    hostile = start_case("TQ-CX-THPT-1")
    with pytest.raises(StepFailed):
        driver.run(hostile.id, until="write_application")
    assert pool().limits.workers == 1
    driver.run(other.id, until="reconsider_after_failed_vote", overrides=ONE_FOR)
    assert open_specs(other.id) == ["reconsider_after_failed_vote"]
    data = facts(other.id)
    assert (data["cell_vote_threshold"], data["admission_cell_vote_passed"]) == (8, False)
