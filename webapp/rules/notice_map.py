"""Which recorded acts are told to whom (issue 12): the upper level's acts that the cell, and the
applicant with an account, must hear of. Data, read by services/case_notices.py in the step's
transaction.

Each rule: (step ids, the answer field and its value, or None for any completion) → (notice kind,
audiences). Audiences: "cell" (the case's cell secretaries) and "applicant" (the student's own
account, when there is one).
"""
from dataclasses import dataclass

DECIDING = ("decide_admission", "decide_admission_delegated")
RECOGNISING = ("decide_recognition", "decide_recognition_delegated")


@dataclass(frozen=True)
class NoticeRule:
    steps: tuple
    field: str
    value: object
    kind: str
    audiences: tuple
    number_field: str | None = None  # the document's number and date, quoted by the notice
    date_field: str | None = None


RULES = (
    # The appraisal asks for the decision's one extension (the diagram's apply_extension script).
    NoticeRule(("appraise_file",), "request_extension", True, "deadline_extended", ("cell",)),
    # The competent committee's conclusion on an unclear or negative background finding, and the
    # grassroots committee's certification that the history does not qualify (items 25-26).
    NoticeRule(("conclude_verification_finding",), "finding_conclusion", "resume", "finding_cleared", ("cell",),
               "finding_conclusion_number", "finding_conclusion_date"),
    NoticeRule(("conclude_verification_finding",), "finding_conclusion", "stop", "finding_stopped",
               ("cell", "applicant"), "finding_conclusion_number", "finding_conclusion_date"),
    NoticeRule(("certify_history",), "history_certification", "not_eligible", "history_not_eligible",
               ("cell", "applicant"), None, "history_certification_date"),
    NoticeRule(DECIDING, "decision", "admit", "admission_decided", ("cell", "applicant"),
               "decision_number", "decision_date"),
    NoticeRule(DECIDING, "decision", "reject", "admission_rejected", ("cell", "applicant"),
               "decision_number", "decision_date"),
    NoticeRule(RECOGNISING, "recognition_decision", "recognise", "member_recognised", ("cell", "applicant"),
               "recognition_decision_number", "recognition_decision_date"),
    NoticeRule(RECOGNISING, "recognition_decision", "remove", "member_removed", ("cell", "applicant"),
               "recognition_decision_number", "recognition_decision_date"),
)

KINDS = tuple(rule.kind for rule in RULES)


def notices_of_completion(step, data):
    """The rules a completed step's recorded answers meet."""
    data = data or {}
    return [rule for rule in RULES if step in rule.steps and data.get(rule.field) == rule.value]
