"""The restricted script environment: what a diagram's code may and may not do."""
import pytest

from webapp.engine.errors import ScriptError
from webapp.engine.scripting import RestrictedEnvironment, ScriptTimeout


@pytest.fixture()
def env():
    return RestrictedEnvironment(time_budget=0.2)


def test_scripts_read_and_write_task_data(env):
    data = {"agree": 7, "members": 9}
    env.execute("passed = vote_passes(agree, members)\nneeded = threshold(members)", data)
    assert data == {"agree": 7, "members": 9, "passed": True, "needed": 6}


def test_conditions_see_task_data_and_helpers(env):
    assert env.evaluate("is_of_age(date_of_birth, '2026-06-01')", {"date_of_birth": "2008-06-15"}) is True


def test_deleted_names_leave_the_data(env):
    data = {"scratch": 1}
    env.execute("del scratch\nkept = 2", data)
    assert data == {"kept": 2}


@pytest.mark.parametrize("source", [
    "import os",
    "from os import system",
    "x = ().__class__.__base__.__subclasses__()",
    "x = agree.__class__",
    "_hidden = 1",
])
def test_forbidden_constructs_are_refused_before_running(env, source):
    with pytest.raises(ScriptError):
        env.execute(source, {"agree": 1})


def test_builtins_that_reach_outside_are_absent(env):
    for source in ("open('/etc/passwd')", "__import__('os')", "eval('1')", "getattr(agree, 'real')"):
        with pytest.raises((ScriptError, NameError)):
            env.evaluate(source, {"agree": 1})


def test_an_endless_loop_is_stopped_by_the_time_budget(env):
    with pytest.raises(ScriptTimeout):
        env.execute("while True:\n    pass", {})


def test_a_script_may_not_replace_a_helper(env):
    with pytest.raises(ScriptError, match="helper"):
        env.execute("vote_passes = 1", {})


def test_task_data_may_not_shadow_a_helper(env):
    with pytest.raises(ScriptError, match="overwrites helper"):
        env.evaluate("threshold", {"threshold": 3})
