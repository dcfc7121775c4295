"""The import contracts of setup.cfg catch what docs/architecture.md forbids.

Each test copies the Python sources of `webapp/` and `setup.cfg` into a temporary directory,
plants one violation there and runs `lint-imports` on the copy: it must fail and name the
contract that forbids the import. The untouched copy passes. (Issue 16: five such violations
once passed all the contracts.)
"""
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")

ENGINE_PURE = "The engine never imports Flask, SQLAlchemy, the data layer or the web layer"
ONLY_ENGINE_SPIFF = "Only the engine imports SpiffWorkflow"
BLUEPRINTS_THIN = "Blueprints and pages never import the engine or SpiffWorkflow"
AUTHZ_NO_REQUEST = "Authorisation decides from its arguments: no Flask, no request, no session, no current_user"
SERVICES_NO_PAGE = "Services never import pages, blueprints, forms of the web layer or the signed-in user"
RULES_PURE = "Rules are pure: standard library and holidays only"
MODELS_BELOW = "Models never import services, authz, the engine, forms or the web layer"
LAYERS = "Layers"


def _copy_tree(tmp_path):
    shutil.copytree(ROOT / "webapp", tmp_path / "webapp",
                    ignore=shutil.ignore_patterns("__pycache__", "static", "templates", "translations"))
    shutil.copy(ROOT / "setup.cfg", tmp_path / "setup.cfg")
    return tmp_path


def _lint(tree):
    """Run lint-imports on the copy; return (exit code, {contract name: 'KEPT'|'BROKEN'})."""
    # The copy comes first on the path, before the editable install of the real tree.
    env = {**os.environ, "PYTHONPATH": str(tree), "COLUMNS": "400", "NO_COLOR": "1"}
    done = subprocess.run([str(LINT_IMPORTS), "--no-cache"], check=False, cwd=tree, env=env,
                          capture_output=True, text=True, timeout=120)
    verdicts = dict(re.findall(r"^(.+?) (KEPT|BROKEN)\b", done.stdout, flags=re.MULTILINE))
    return done.returncode, verdicts, done.stdout + done.stderr


def _plant(tree, module, line):
    path = tree / module
    path.write_text(path.read_text(encoding="utf-8") + f"\n{line}  # planted by the test\n", encoding="utf-8")


@pytest.fixture(scope="module")
def clean_copy(tmp_path_factory):
    return _copy_tree(tmp_path_factory.mktemp("clean"))


def test_the_clean_tree_keeps_every_contract(clean_copy):
    code, verdicts, output = _lint(clean_copy)
    assert code == 0, output
    assert "BROKEN" not in verdicts.values()
    # Every contract the test names below is really in setup.cfg under that name.
    for name in (ENGINE_PURE, ONLY_ENGINE_SPIFF, BLUEPRINTS_THIN, AUTHZ_NO_REQUEST, SERVICES_NO_PAGE,
                 RULES_PURE, MODELS_BELOW, LAYERS):
        assert verdicts.get(name) == "KEPT", (name, output)


PLANTED = [
    pytest.param("webapp/tasks/routes.py", "from webapp.engine import clock as _planted",
                 {BLUEPRINTS_THIN}, id="blueprint-imports-engine"),
    pytest.param("webapp/cases/routes.py", "import SpiffWorkflow as _planted",
                 {ONLY_ENGINE_SPIFF, BLUEPRINTS_THIN}, id="blueprint-imports-spiffworkflow"),
    pytest.param("webapp/admin/routes.py", "from SpiffWorkflow.bpmn import BpmnWorkflow as _planted",
                 {ONLY_ENGINE_SPIFF, BLUEPRINTS_THIN}, id="blueprint-imports-a-spiffworkflow-submodule"),
    pytest.param("webapp/services/timers.py", "from webapp.pages import labels as _planted",
                 {SERVICES_NO_PAGE, LAYERS}, id="service-imports-pages"),
    pytest.param("webapp/services/tasks.py", "from flask_login import current_user as _planted",
                 {SERVICES_NO_PAGE}, id="service-reads-the-signed-in-user"),
    pytest.param("webapp/authz/scope.py", "from flask import request as _planted",
                 {AUTHZ_NO_REQUEST}, id="authz-imports-flask-request"),
    pytest.param("webapp/authz/lanes.py", "from flask.globals import request as _planted",
                 {AUTHZ_NO_REQUEST}, id="authz-imports-flask-globals"),
    pytest.param("webapp/authz/scope.py", "from flask_login import current_user as _planted",
                 {AUTHZ_NO_REQUEST}, id="authz-reads-current-user"),
    pytest.param("webapp/engine/clock.py", "from webapp.tasks import routes as _planted",
                 {ENGINE_PURE, LAYERS}, id="engine-imports-a-blueprint"),
    pytest.param("webapp/engine/timers.py", "import webapp.models as _planted",
                 {ENGINE_PURE, LAYERS}, id="engine-imports-models"),
    # The engine uses rules, so its chain into the web layer breaks too.
    pytest.param("webapp/rules/age.py", "from webapp.pages import formatting as _planted",
                 {RULES_PURE, LAYERS, ENGINE_PURE}, id="rules-import-pages"),
    pytest.param("webapp/models/org.py", "from webapp.services import errors as _planted",
                 {MODELS_BELOW, LAYERS}, id="models-import-services"),
    pytest.param("webapp/pages/labels.py", "from webapp.tasks import routes as _planted",
                 {LAYERS}, id="pages-import-a-blueprint"),
]


@pytest.mark.parametrize(("module", "line", "broken"), PLANTED)
def test_a_planted_violation_is_caught_and_named(tmp_path, module, line, broken):
    tree = _copy_tree(tmp_path)
    _plant(tree, module, line)
    code, verdicts, output = _lint(tree)
    assert code != 0, output
    assert {name for name, verdict in verdicts.items() if verdict == "BROKEN"} == broken, output
    # The report names the module that imports, so the reader knows where to look.
    assert module.removesuffix(".py").replace("/", ".") in output


def test_an_indirect_chain_into_the_web_layer_is_caught(tmp_path):
    """The engine reaching a blueprint through a helper module of its own is still refused."""
    tree = _copy_tree(tmp_path)
    (tree / "webapp/engine/_planted_helper.py").write_text("from webapp.pages import labels\n", encoding="utf-8")
    _plant(tree, "webapp/engine/clock.py", "from webapp.engine import _planted_helper")
    code, verdicts, output = _lint(tree)
    assert code != 0
    assert verdicts[ENGINE_PURE] == "BROKEN", output
