"""Serialize running workflows without their specs.

SpiffWorkflow 3.2.0 embeds the whole process spec (~130 KiB for the admission diagrams) in
every document, and rebuilding it dominates the cost of a restore. A deployed version never
changes, so the spec is taken from the version (parsed once and cached by the services) and the
stored document keeps only the state. Documents that do carry a spec (the library's own
format) still load.

The state is stored compressed (zlib, since migration 0012): a finished case's JSON is ~76 KiB,
mostly task ids and the library's per-task bookkeeping, which compresses about sevenfold. Level
1 because the document is written on every completion: levels 6–9 save another 15–20 % for two
to five times the time. Documents stored before, plain JSON (text, or the same bytes after the
migration changed the column to binary), still load.
"""
import contextvars
import json
import zlib
from copy import deepcopy
from uuid import UUID

from SpiffWorkflow.bpmn.serializer import BpmnWorkflowSerializer
from SpiffWorkflow.bpmn.serializer.default.workflow import BpmnWorkflowConverter, WorkflowConverter
from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from SpiffWorkflow.spiff.serializer.config import SPIFF_CONFIG

from .errors import EngineError

_specs = contextvars.ContextVar("ketnap_restore_specs", default=None)


class _SpecByReferenceConverter(BpmnWorkflowConverter):
    def to_dict(self, workflow):
        dct = WorkflowConverter.to_dict(self, workflow)
        dct["spec_name"] = workflow.spec.name
        dct["subprocesses"] = self.mapping_to_dict(workflow.subprocesses)
        dct["bpmn_events"] = self.registry.convert(workflow.bpmn_events)
        return dct

    def from_dict(self, dct):
        if "spec" in dct:  # the library's own format, spec embedded
            return super().from_dict(dct)
        loaded = _specs.get()
        if loaded is None or loaded.spec.name != dct.get("spec_name"):
            raise EngineError("restoring this document needs the specs of the version it runs on")
        workflow = self.target_class(loaded.spec, loaded.subprocess_specs, deserializing=True)
        workflow.tasks = self.mapping_from_dict(dct["tasks"], UUID, workflow=workflow)
        workflow.task_tree = workflow.tasks.get(UUID(dct["root"]))
        self.set_default_attributes(workflow, dct)
        self.subprocesses_from_dict(dct["subprocesses"], workflow)
        workflow.bpmn_events = self.registry.restore(dct.pop("bpmn_events", []))
        return workflow


def _build_serializer():
    config = deepcopy(SPIFF_CONFIG)  # never edit the library's dict
    config[BpmnWorkflow] = _SpecByReferenceConverter
    return BpmnWorkflowSerializer(BpmnWorkflowSerializer.configure(config))


_serializer = _build_serializer()
#: Our variant of the library's format: the library's version plus "spec by reference", compressed.
SERIALIZER_VERSION = f"{_serializer.VERSION}+specref+zlib"
_COMPRESSION_LEVEL = 1


def registry():
    """The converter registry (SpiffWorkflow's spec diff compares specs through it)."""
    return _serializer.registry


def dump(workflow):
    """The stored document: the workflow's JSON, zlib-compressed (bytes)."""
    return zlib.compress(_serializer.serialize_json(workflow).encode(), _COMPRESSION_LEVEL)


def _compressed(document):
    # JSON starts with "{" (or white space); a zlib stream never does (its first byte is 0x78).
    return isinstance(document, bytes | bytearray | memoryview) and bytes(document[:1]) not in (b"{", b" ", b"\n")


def as_json(document):
    """The JSON text of a stored document: compressed bytes, or plain JSON as text or bytes (stored before 0014)."""
    if isinstance(document, str):
        return document
    if _compressed(document):
        try:
            return zlib.decompress(document).decode()
        except zlib.error as error:
            raise ValueError(f"not a stored workflow document ({error})") from None
    return bytes(document).decode()


def load(document, loaded_process):
    """Restore `document`; `loaded_process` gives the specs of the version it runs on."""
    token = _specs.set(loaded_process)
    try:
        return _serializer.deserialize_json(as_json(document))
    finally:
        _specs.reset(token)


def version_of(document):
    dct = json.loads(as_json(document))
    library = dct.get(_serializer.VERSION_KEY)
    version = f"{library}+specref" if "spec" not in dct else library
    return f"{version}+zlib" if _compressed(document) else version
