"""Generating a case's official documents: one unit of work per download, recorded in the audit.

The templates are those of the version the case runs on (deployed with its diagrams and forms),
so a case prints the forms of its own rules; they are parsed once per version (versions never
change). Each generation appends `document_generated` (who, role, unit, which document, which
format, how many facts were missing) and commits, whoever asks: a printed party form leaves the
system, so every one is accounted for.
"""
from dataclasses import dataclass

from ...authz import can_see_instance, case_reader
from ...authz.documents import may_generate_document
from ...extensions import db
from ...models import ProcessInstance, ProcessVersion
from ..audit import append_event
from ..clock import resolve_now
from ..errors import Forbidden, InvalidSubmission, NotFound
from ..versions import loaded_version
from .facts import case_facts, sections_needed
from .render import fill
from .templates import templates_of
from .writers import DOCX_TYPE, PDF_TYPE, to_docx, to_pdf

FORMATS = {"docx": (to_docx, DOCX_TYPE), "pdf": (to_pdf, PDF_TYPE)}
_templates = {}


@dataclass(frozen=True)
class DocumentChoice:
    name: str
    code: str
    title: str
    allowed: bool  # the reader's role reads every kind of data the document prints


@dataclass(frozen=True)
class GeneratedDocument:
    file_name: str
    content: bytes
    content_type: str


def version_templates(version):
    cached = _templates.get(version.id)
    if cached is None or cached[0] != version.content_hash:
        cached = (version.content_hash, templates_of({f.name: f.content for f in version.files}))
        _templates[version.id] = cached
    return cached[1]


def _case(user_id, instance_id):
    instance = db.session.get(ProcessInstance, instance_id)
    if instance is None or not can_see_instance(user_id, instance_id):
        raise NotFound("no such case in your scope")
    return instance, db.session.get(ProcessVersion, instance.version_id)


def case_documents(user, instance_id, acting=None):
    """The documents of the case's version, in order of their code, each saying if the reader may print it."""
    instance, version = _case(user.id, instance_id)
    reader = case_reader(user.id, instance, acting.assignment_id if acting else None)
    templates = sorted(version_templates(version).values(), key=lambda t: t.name)
    return [DocumentChoice(t.name, t.code, t.title, may_generate_document(reader, sections_needed(t)))
            for t in templates]


def generate_document(user, instance_id, name, file_format, *, acting=None, now=None):
    """The document `name` of the case as `file_format` (docx or pdf), filled from its recorded facts."""
    if file_format not in FORMATS:
        raise InvalidSubmission({"format": ["unknown"]})
    instance, version = _case(user.id, instance_id)
    template = version_templates(version).get(name)
    if template is None:
        raise NotFound("no such document for this case's version")
    reader = case_reader(user.id, instance, acting.assignment_id if acting else None)
    if not may_generate_document(reader, sections_needed(template)):
        raise Forbidden("your role does not read what this document prints", code="not_for_your_role")
    filled = fill(template, case_facts(instance, template, loaded_version(version.id, version.content_hash), reader))
    write, content_type = FORMATS[file_format]
    content = write(filled)
    try:
        append_event(kind="document_generated", occurred_at=resolve_now(now), instance_id=instance.id, actor=user,
                     actor_role=reader.role, actor_unit_id=reader.unit_id,
                     payload={"document": name, "code": template.code, "format": file_format,
                              "version_id": version.id, "blank_facts": filled.blanks})
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return GeneratedDocument(f"{name}-{instance.id}.{file_format}", content, content_type)
