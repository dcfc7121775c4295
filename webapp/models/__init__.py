"""Typed SQLAlchemy 2.0 tables. No commits here and no Flask request."""
from .attachment import Attachment
from .audit import AuditHead, ChainVerification, InstanceEvent
from .org import OrgUnit, UnitClosure
from .people import RoleAssignment, Student, User
from .process import HumanTask, ProcessFile, ProcessInstance, ProcessVersion
from .sessions import SignInAttempt, SignInSession

__all__ = [
    "Attachment", "AuditHead", "ChainVerification", "HumanTask", "InstanceEvent", "OrgUnit", "ProcessFile",
    "ProcessInstance", "ProcessVersion", "RoleAssignment", "SignInAttempt", "SignInSession", "Student", "UnitClosure",
    "User",
]
