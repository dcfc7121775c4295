"""Deployed process versions: store them immutably, load them once per process."""
import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import func, select

from ..engine import Problem, ProcessDefinitionError, load_process, validate_files
from ..engine.encoding import files_as_utf8
from ..extensions import db
from ..models import ProcessFile, ProcessVersion
from ..models.people import ROLES
from ..taskforms import FormDefinitionError, load_definition
from .audit import append_event
from .clock import resolve_now
from .documents.facts import known_facts
from .documents.templates import DOCUMENT_SUFFIX, document_problems

FORM_SCHEMA_SUFFIX = ".schema.json"
FORM_UI_SUFFIX = ".uischema.json"
MAIN_PROCESS = "admission"


@dataclass(frozen=True)
class LoadedVersion:
    version_id: int
    process: object
    forms: dict
    # The deployment's other startable processes, parsed the first time a case of one is touched.
    others: dict = field(default_factory=dict, compare=False)

    def form(self, name):
        return self.forms.get(name)

    def process_for(self, process_id):
        """The spec a case of `process_id` runs on (the deployment's main process unless it names another)."""
        if not process_id or process_id == self.process.process_id:
            return self.process
        if process_id not in self.others:
            version = db.session.get(ProcessVersion, self.version_id)
            self.others[process_id] = load_process({f.name: f.content for f in version.files}, process_id)
        return self.others[process_id]


_loaded = {}


def content_hash(files):
    digest = hashlib.sha256()
    for name in sorted(files):
        digest.update(name.encode() + b"\0" + hashlib.sha256(files[name]).digest())
    return digest.hexdigest()


def files_from_directories(processes_dir, forms_dir, documents_dir=None):
    """A deployment from the repository's folders; the document templates (issue 13) are read from
    `documents_dir`, by default the `documents/` folder beside `processes/`, when it exists."""
    files = {p.name: p.read_bytes() for p in sorted(Path(processes_dir).glob("*.bpmn"))}
    files.update({p.name: p.read_bytes() for p in sorted(Path(processes_dir).glob("*.dmn"))})
    files.update({p.name: p.read_bytes() for p in sorted(Path(forms_dir).glob("*.json"))})
    documents = Path(documents_dir) if documents_dir else Path(processes_dir).parent / "documents"
    files.update({p.name: p.read_bytes() for p in sorted(documents.glob("*" + DOCUMENT_SUFFIX))})
    return files


def _forms_of(files):
    forms = {}
    for name, content in files.items():
        if name.endswith(FORM_SCHEMA_SUFFIX):
            form_name = name[: -len(FORM_SCHEMA_SUFFIX)]
            forms[form_name] = load_definition(form_name, content, files.get(form_name + FORM_UI_SUFFIX))
    return forms


def active_version(process_id=MAIN_PROCESS):
    return db.session.execute(
        select(ProcessVersion).where(ProcessVersion.process_id == process_id, ProcessVersion.active)
    ).scalar_one_or_none()


#: Roles a lane may name: every role that acts on cases (auditors and administrators never do).
LANE_ROLES = tuple(role for role in ROLES if role not in ("auditor", "admin"))


def deployment_problems(files, process_id=MAIN_PROCESS):
    """Every problem of `files` as a deployment, each tied to its element (empty when it may be stored).

    Diagrams are read as they will be stored: converted to UTF-8 (engine.files_as_utf8).
    """
    files = files_as_utf8(files)
    forms, problems = {}, []
    for name, content in sorted(files.items()):
        if name.endswith(FORM_SCHEMA_SUFFIX):
            form_name = name[: -len(FORM_SCHEMA_SUFFIX)]
            try:
                forms[form_name] = load_definition(form_name, content, files.get(form_name + FORM_UI_SUFFIX))
            except FormDefinitionError as error:
                problems.append(_form_problem(error, name))
    broken = {p.file_name[: -len(FORM_SCHEMA_SUFFIX)] for p in problems}  # there, though wrong: said once
    problems += _hints_without_form(files)
    fields = {form_name: tuple(definition.schema.get("properties", {})) for form_name, definition in forms.items()}
    # Placeholders name recorded facts only; a form there but refused above is not said again per placeholder.
    problems += document_problems(files, known_facts(fields), unchecked=broken)
    return problems + validate_files(files, known_roles=LANE_ROLES, form_names={*forms, *broken},
                                     main_process=process_id, form_fields=fields)


def _hints_without_form(files):
    """A UI-hint file whose form is not there: nothing would ever read it (a misspelt name, most likely)."""
    return [Problem(f"These UI hints belong to no form: the deployment has no {name[: -len(FORM_UI_SUFFIX)]}"
                    f"{FORM_SCHEMA_SUFFIX}.", file_name=name, code="hints_without_form",
                    params={"schema_file": name[: -len(FORM_UI_SUFFIX)] + FORM_SCHEMA_SUFFIX})
            for name in sorted(files) if name.endswith(FORM_UI_SUFFIX)
            and name[: -len(FORM_UI_SUFFIX)] + FORM_SCHEMA_SUFFIX not in files]


def _form_problem(error, file_name):
    if error.key.startswith("properties.") and error.key.endswith(".pattern"):  # RE2 could not compile it
        return Problem(str(error), file_name=file_name, code="form_pattern",
                       params={"form": error.form, "field": error.key[len("properties."):-len(".pattern")],
                               "detail": error.detail})
    return Problem(str(error), file_name=file_name, code="form_definition", params={"detail": str(error)})


def deploy(files, *, author=None, comment="", process_id=MAIN_PROCESS, activate=True, now=None):
    """Validate `files`, then store them as a new version (unless identical to the active one).

    Runs in the caller's transaction; a deployment with any problem raises ProcessDefinitionError
    and stores nothing. Diagrams in another encoding are stored converted to UTF-8.
    """
    files = files_as_utf8(files)
    problems = deployment_problems(files, process_id)
    if problems:
        raise ProcessDefinitionError(problems)
    version, created = store_version(files, author=author, comment=comment, process_id=process_id,
                                     activate=activate)
    if created:
        append_event(kind="process_deployed", occurred_at=resolve_now(now), actor=author,
                     payload={"version_id": version.id, "number": version.number, "hash": version.content_hash,
                              "comment": comment, "files": sorted(files), "active": version.active})
    return version


def store_version(files, *, author=None, comment="", process_id=MAIN_PROCESS, activate=True):
    """(version, created): store a version as it is; deploy validates first. Identical content is not stored twice."""
    digest = content_hash(files)
    current = active_version(process_id)
    if current is not None and current.content_hash == digest:
        return current, False
    number = (db.session.execute(
        select(func.max(ProcessVersion.number)).where(ProcessVersion.process_id == process_id)).scalar() or 0) + 1
    version = ProcessVersion(process_id=process_id, number=number, content_hash=digest, comment=comment,
                             deployed_by_id=author.id if author else None, active=False)
    version.files = [ProcessFile(name=name, content=content) for name, content in sorted(files.items())]
    db.session.add(version)
    if activate:
        if current is not None:
            current.active = False
        version.active = True
    db.session.flush()
    return version, True


def loaded_version(version_id, content_hash):
    """The parsed specs and form definitions of a version, built once (versions never change).

    The content hash comes with the caller's own query, so a cached version costs no round trip
    and a different database reusing the id is never confused with it.
    """
    cached = _loaded.get(version_id)
    if cached is None or cached[0] != content_hash:
        version = db.session.get(ProcessVersion, version_id)
        files = {f.name: f.content for f in version.files}
        cached = (content_hash, LoadedVersion(version_id, load_process(files, version.process_id), _forms_of(files)))
        _loaded[version_id] = cached
    return cached[1]
