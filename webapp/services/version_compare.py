"""Two versions of the deployment compared for the administrator (issue 15).

Each BPMN file that differs is compared element by element (`engine.diagram_diff`, matched by id,
read with the hardened parser and never run); the page draws both versions with bpmn-js and marks
what was added, removed or changed. Every differing file keeps its unified text diff as well
(`deployments.diff_versions`), for DMN and form files and for whoever wants the XML.
"""
from dataclasses import dataclass

from ..engine import ProcessDefinitionError
from ..engine.diagram_diff import DiagramDiff, diff_diagrams
from .deployments import diff_versions, require_admin, version_files


@dataclass(frozen=True)
class DiagramComparison:
    file_name: str
    status: str  # added, removed, changed (the file)
    diff: DiagramDiff | None  # None when a version's file cannot be read safely
    in_old: bool
    in_new: bool


@dataclass(frozen=True)
class VersionComparison:
    old: object  # ProcessVersion
    new: object
    diagrams: tuple  # DiagramComparison for every .bpmn file that differs
    files: tuple  # deployments.FileDiff for every file that differs (the text view)


def version_comparison(user, old_id, new_id):
    """The two versions and what differs between them; NotFound when either does not exist."""
    require_admin(user)
    old, old_files = version_files(old_id)
    new, new_files = version_files(new_id)
    diagrams = []
    for name in sorted(set(old_files) | set(new_files)):
        before, after = old_files.get(name), new_files.get(name)
        if not name.endswith(".bpmn") or before == after:
            continue
        status = "added" if before is None else "removed" if after is None else "changed"
        try:
            diff = diff_diagrams(before, after, file_name=name)
        except ProcessDefinitionError:  # stored before the checks, or not BPMN after all: the text diff stays
            diff = None
        diagrams.append(DiagramComparison(name, status, diff, before is not None, after is not None))
    return VersionComparison(old, new, tuple(diagrams), tuple(diff_versions(old_id, new_id)))


def version_file(user, version_id, name):
    """The stored bytes of one file of a version (for bpmn-js on the comparison page), or None."""
    require_admin(user)
    _, files = version_files(version_id)
    return files.get(name)
