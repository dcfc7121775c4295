"""Serialize running workflows without their specs.

SpiffWorkflow 3.2.0 embeds the whole process spec (~130 KiB for the admission diagrams) in
every document, and rebuilding it dominates the cost of a restore. A deployed version never
changes, so the spec is taken from the version (parsed once and cached by the services) and the
stored document keeps only the state. Documents that do carry a spec (the library's own
format) still load.
"""
import contextvars
import json
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
#: Our variant of the library's format: the library's version plus "spec by reference".
SERIALIZER_VERSION = f"{_serializer.VERSION}+specref"


def registry():
    """The converter registry (SpiffWorkflow's spec diff compares specs through it)."""
    return _serializer.registry


def dump(workflow):
    return _serializer.serialize_json(workflow)


def load(document, loaded_process):
    """Restore `document`; `loaded_process` gives the specs of the version it runs on."""
    token = _specs.set(loaded_process)
    try:
        return _serializer.deserialize_json(document)
    finally:
        _specs.reset(token)


def version_of(document):
    dct = json.loads(document)
    library = dct.get(_serializer.VERSION_KEY)
    return f"{library}+specref" if "spec" not in dct else library
