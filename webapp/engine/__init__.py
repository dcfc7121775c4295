"""Everything SpiffWorkflow: the only package that imports it. No Flask, no SQLAlchemy."""
from .ahead import names_read_ahead
from .errors import EngineError, Problem, ProcessDefinitionError, RunawayInstance, ScriptError, TaskNotReady
from .loader import LoadedProcess, load_process, processes_by_file
from .migration import MigrationCheck, check_migration, migrate
from .sandbox import SandboxLimits
from .sandbox import configure as configure_sandbox
from .sandbox import shutdown as shutdown_sandbox
from .serialization import SERIALIZER_VERSION
from .validation import validate_files
from .workflow import CaseWorkflow, EngineStep, UserTask

__all__ = [
    "SERIALIZER_VERSION",
    "CaseWorkflow",
    "EngineError",
    "EngineStep",
    "LoadedProcess",
    "MigrationCheck",
    "Problem",
    "ProcessDefinitionError",
    "RunawayInstance",
    "SandboxLimits",
    "ScriptError",
    "TaskNotReady",
    "UserTask",
    "check_migration",
    "configure_sandbox",
    "load_process",
    "migrate",
    "names_read_ahead",
    "processes_by_file",
    "shutdown_sandbox",
    "validate_files",
]
