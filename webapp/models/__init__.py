"""Typed SQLAlchemy 2.0 tables. No commits here and no Flask request."""
from .attachment import Attachment
from .audit import AuditHead, ChainVerification, InstanceEvent
from .deputies import Deputyship
from .notes import CaseComment, StepCorrection, TaskDraft
from .notices import Notice, NoticeSetting, TaskReminder
from .org import OrgUnit, UnitClosure
from .people import RoleAssignment, Student, User
from .process import HumanTask, ProcessFile, ProcessInstance, ProcessVersion
from .register import BodyMembership, MemberAbsence, PartyMember
from .sessions import SignInAttempt, SignInSession
from .stages import CaseStage, UnitTarget
from .startable import StartableProcess
from .verification import VerificationRequest

__all__ = [
    "Attachment",
    "AuditHead",
    "BodyMembership",
    "CaseComment",
    "CaseStage",
    "ChainVerification",
    "Deputyship",
    "HumanTask",
    "InstanceEvent",
    "MemberAbsence",
    "Notice",
    "NoticeSetting",
    "OrgUnit",
    "PartyMember",
    "ProcessFile",
    "ProcessInstance",
    "ProcessVersion",
    "RoleAssignment",
    "SignInAttempt",
    "SignInSession",
    "StartableProcess",
    "StepCorrection",
    "Student",
    "TaskDraft",
    "TaskReminder",
    "UnitClosure",
    "UnitTarget",
    "User",
    "VerificationRequest",
]
