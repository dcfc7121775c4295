"""One serializer, built from a copy of the library's configuration (never edit the library's dict)."""
from copy import deepcopy

from SpiffWorkflow.bpmn.serializer import BpmnWorkflowSerializer
from SpiffWorkflow.spiff.serializer.config import SPIFF_CONFIG

_serializer = BpmnWorkflowSerializer(BpmnWorkflowSerializer.configure(deepcopy(SPIFF_CONFIG)))

#: Stored in its own column so an upgrade can tell which documents it must migrate.
SERIALIZER_VERSION = _serializer.VERSION


def dump(workflow):
    return _serializer.serialize_json(workflow)


def load(document):
    return _serializer.deserialize_json(document)


def version_of(document):
    return _serializer.get_version(document)
