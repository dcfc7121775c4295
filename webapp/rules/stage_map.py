"""Which step, with which answer, reaches which stage (issue 11): the one map, as data.

A case advances in steps: a person completes a task (its form's answers), the engine then runs the
steps that follow (scripts, gateways, joins), a timer fires. Every advance is recorded in the audit
trail as one event: `task_completed` (the task, its answers, the engine steps that ran, the status
after, the tasks opened) or `timer_fired`. `stages_of_event` reads such an event and says which
stages (rules/stages.py) it reached and on which day, and which queryable columns of the case it
fills. The unit of work calls it on the event it has just appended (services/stage_facts.py) and
migration 0013 replays the stored events through it, so the back-fill and live recording cannot
disagree; neither restores a workflow.

The day of a stage is the day of the act, from the form: the vote's date, the decision's date
(ACT_DATE below); for a step the engine ran, the act date of the task whose completion ran it; when
a form has no date, the Vietnam day of the event.

Pure: standard library and rules only (the migration imports it).
"""
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from .dates import add_months, as_date
from .rulesets import rule_value

#: The act date of each task's form: the first date it asks for.
ACT_DATE = {
    "nominate_student": "nomination_date",
    "add_to_sympathiser_list": "sympathiser_resolution_date",
    "enroll_in_course": "course_start_date",
    "record_course_result": "certificate_date",
    "write_application": "application_date",
    "assign_introducers": None,
    "issue_youth_union_resolution": "youth_union_resolution_date",
    "write_introduction_letters": "introduction_letter_date",
    "write_residence_comment": "residence_comment_date",
    "summarise_comments": "organisation_comments_date",
    "record_verification": "verification_date",
    "conclude_verification_finding": "finding_conclusion_date",
    "comment_on_history": "history_comment_date",
    "certify_history": "history_certification_date",
    "certify_history_grassroots_cell": "history_certification_date",
    "plan_cell_meeting": "meeting_date",
    "record_cell_vote": "vote_date",
    "appraise_subcommittee": "subcommittee_report_date",
    "record_committee_vote": "committee_vote_date",
    "appraise_file": "appraisal_date",
    "decide_admission": "decision_date",
    "decide_admission_delegated": "decision_date",
    "acknowledge_rejection": "notified_date",
    "hold_ceremony": "ceremony_date",
    "record_member_file": "member_history_date",
    "write_self_review": "self_review_date",
    "comment_on_probation": "helper_comment_date",
    "decide_recognition": "recognition_decision_date",
    "decide_recognition_delegated": "recognition_decision_date",
}

DECISION_TASKS = ("decide_admission", "decide_admission_delegated")
RECOGNITION_TASKS = ("decide_recognition", "decide_recognition_delegated")


@dataclass(frozen=True)
class StageRule:
    """`stage` is reached by an advance that matches every condition given.

    task: the task completed is one of these; step: one of these engine steps ran;
    opened: one of these tasks was opened; answer: (field, value) of the task's answers;
    status: the case's status after the advance.
    """

    stage: str
    task: tuple = ()
    step: tuple = ()
    opened: tuple = ()
    answer: tuple | None = None
    status: str | None = None


STAGE_RULES = (
    StageRule("nominated", task=("nominate_student",)),
    StageRule("sympathiser", task=("add_to_sympathiser_list",)),
    StageRule("course_attended", task=("record_course_result",), answer=("course_attended", True)),
    # The course is passed when the engine goes past "passed?" (evaluate_course applies the rules).
    StageRule("certified", task=("record_course_result",), step=("course_next_gateway",)),
    StageRule("failed_course", task=("record_course_result",), step=("merge_course",)),
    # The application and the personal history are written: the dossier the verification checks
    # (the funnel puts it before "verified"; the introducers' letters follow in parallel).
    StageRule("dossier_complete", task=("write_application",)),
    # Verified (the answers commented on by the cell and certified eligible by the grassroots
    # committee, items 25-26), or not needed (a family with a party member): both pass merge_verification.
    StageRule("verified", step=("merge_verification",)),
    StageRule("stopped_after_verification", step=("stop_on_background",)),
    StageRule("waiting_18", task=("plan_cell_meeting",), status="waiting"),
    StageRule("cell_approved", task=("record_cell_vote",), step=("subcommittee_gateway",)),
    StageRule("vote_failed", task=("record_cell_vote",), opened=("reconsider_after_failed_vote",)),
    # The grassroots committee's vote (or a grassroots cell's own, which needs no committee).
    StageRule("committee_approved", step=("merge_grassroots",)),
    StageRule("decided", task=DECISION_TASKS),
    StageRule("rejected", step=("record_rejection",)),
    StageRule("admitted", task=("hold_ceremony",)),
    StageRule("recognised", step=("record_recognition",)),
    # Closed by the cell after a failed vote, over the age limit, or removed from probation.
    StageRule("closed", step=("close_case", "stop_over_age", "record_removal")),
)

ADVANCES = ("task_completed", "timer_fired")
VIETNAM = timedelta(hours=7)  # Viet Nam keeps no summer time


@dataclass(frozen=True)
class Reached:
    stages: tuple  # ((stage, day), ...)
    columns: dict  # process_instance column -> value


def _matches(rule, task, answers, steps, opened, status):
    if rule.task and task not in rule.task:
        return False
    if rule.step and not steps.intersection(rule.step):
        return False
    if rule.opened and not opened.intersection(rule.opened):
        return False
    if rule.answer is not None and answers.get(rule.answer[0]) != rule.answer[1]:
        return False
    return rule.status is None or rule.status == status


def _day_of(moment):
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return (moment.astimezone(UTC) + VIETNAM).date()


def act_day(task, answers, occurred_at):
    """The day of the act the task records: its form's date, else the Vietnam day of the event."""
    field = ACT_DATE.get(task)
    if field and answers.get(field):
        try:
            return as_date(answers[field])
        except ValueError:
            pass
    return _day_of(occurred_at)


def stages_of_event(kind, payload, occurred_at, *, rule_set, ceremony_date=None):
    """What one audit event reached: Reached(stages, columns); empty for events that advance nothing.

    `ceremony_date` is the case's (for the recognition's as-of date), `rule_set` its rule set.
    """
    if kind not in ADVANCES or not isinstance(payload, dict):
        return Reached((), {})
    task = payload.get("task") if kind == "task_completed" else None
    answers = payload.get("data") or {}
    steps = frozenset(payload.get("engine_steps") or ())
    opened = frozenset(payload.get("next") or ())
    status = (payload.get("status") or {}).get("after")
    day = act_day(task, answers, occurred_at)
    stages = tuple((rule.stage, day) for rule in STAGE_RULES if _matches(rule, task, answers, steps, opened, status))
    return Reached(stages, _columns(task, answers, steps, rule_set, ceremony_date))


def _columns(task, answers, steps, rule_set, ceremony_date):
    columns = {}
    if task in DECISION_TASKS:
        columns["decision_number"] = (answers.get("decision_number") or None)
        columns["decision_date"] = _date_or_none(answers.get("decision_date"))
    if task == "hold_ceremony":
        columns["ceremony_date"] = ceremony_date = _date_or_none(answers.get("ceremony_date"))
    if "record_recognition" in steps and ceremony_date is not None:
        # Official as of the end of probation, as the member register records it (register/case_entry.py).
        columns["recognised_on"] = add_months(ceremony_date, rule_value(rule_set, "probation_months"))
    return columns


def _date_or_none(value):
    if not value:
        return None
    try:
        return as_date(value)
    except ValueError:
        return None


def first_reached(stages, already):
    """The (stage, day) of `stages` not in `already` (a set of stage names), each once, first wins."""
    fresh = []
    for stage, day in stages:
        if stage not in already:
            already.add(stage)
            fresh.append((stage, day))
    return fresh


