"""Everything SpiffWorkflow: the only package that imports it. No Flask, no SQLAlchemy."""
from .errors import EngineError, Problem, ProcessDefinitionError, RunawayInstance, ScriptError, TaskNotReady
from .loader import LoadedProcess, load_process, processes_by_file
from .serialization import SERIALIZER_VERSION
from .workflow import CaseWorkflow, EngineStep, UserTask

__all__ = [
    "SERIALIZER_VERSION", "CaseWorkflow", "EngineError", "EngineStep", "LoadedProcess", "Problem",
    "ProcessDefinitionError", "RunawayInstance", "ScriptError", "TaskNotReady", "UserTask", "load_process",
    "processes_by_file",
]
