"""requirements.lock is current with setup.cfg, and every module we import is a declared dependency.

scripts/setup installs from the lock (`pip install --require-hashes`), so a pin changed in
setup.cfg without `make lock` would be silently ignored; this test fails instead (issue 16).
"""
import ast
import configparser
import re
import sys
from importlib.metadata import packages_distributions
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?==([^\s;]+)")


def _normal(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def _declared():
    """{normalised name: version} of install_requires and of every extra, from setup.cfg."""
    config = configparser.ConfigParser()
    config.read(ROOT / "setup.cfg", encoding="utf-8")
    lines = config["options"]["install_requires"].splitlines()
    for extra in config["options.extras_require"].values():
        lines += extra.splitlines()
    pins = {}
    for line in lines:
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        match = PIN.match(line)
        assert match, f"setup.cfg: {line!r} is not pinned exactly (name==version)"
        pins[_normal(match.group(1))] = match.group(2)
    return pins


def _locked():
    """{normalised name: (version, hashes, via)} from requirements.lock."""
    text = (ROOT / "requirements.lock").read_text(encoding="utf-8")
    entries = {}
    for block in re.split(r"\n(?=[A-Za-z0-9])", text):
        match = PIN.match(block.strip())
        if not match:
            continue
        hashes = re.findall(r"--hash=sha256:([0-9a-f]{64})", block)
        via = re.findall(r"#\s+(?:via\s+)?(?:#\s*)?([^\n]+)", block)
        entries[_normal(match.group(1))] = (match.group(2), hashes, " ".join(via))
    return entries


def test_every_pin_of_setup_cfg_is_in_the_lock_at_the_same_version():
    locked = _locked()
    for name, version in _declared().items():
        assert name in locked, f"{name} is in setup.cfg but not in requirements.lock: run `make lock`"
        assert locked[name][0] == version, (
            f"{name}: setup.cfg pins {version}, requirements.lock has {locked[name][0]}: run `make lock`")


def test_nothing_is_locked_for_a_dependency_setup_cfg_no_longer_has():
    declared = _declared()
    for name, (_version, _hashes, via) in _locked().items():
        wanted_by_others = re.sub(r"ketnap \(setup\.cfg\)", "", via).replace("via", "").strip(" #\n")
        assert name in declared or wanted_by_others, (
            f"{name} is locked for ketnap only but setup.cfg does not declare it: run `make lock`")


def test_every_locked_distribution_has_a_hash():
    for name, (_version, hashes, _via) in _locked().items():
        assert hashes, f"{name} has no hash in requirements.lock"


def _imported_top_level_modules():
    modules = set()
    for folder in ("webapp", "migrations", "scripts"):
        for path in (ROOT / folder).rglob("*.py"):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                if isinstance(node, ast.Import):
                    modules |= {alias.name.split(".")[0] for alias in node.names}
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    modules.add(node.module.split(".")[0])
    return modules - set(sys.stdlib_module_names) - {"webapp"}


def test_every_module_the_application_imports_is_declared():
    """werkzeug, markupsafe, click… came in through Flask, undeclared, until issue 16."""
    declared, distributions = _declared(), packages_distributions()
    for module in sorted(_imported_top_level_modules()):
        owners = {_normal(d) for d in distributions.get(module, [])}
        assert owners, f"{module} is imported but no installed distribution provides it"
        assert owners & declared.keys(), f"{module} (from {', '.join(sorted(owners))}) is imported but not in setup.cfg"
