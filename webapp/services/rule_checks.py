"""The procedure's rules checked against what a case recorded, with the same `rules` the engine uses.

Each check is met, not met, or not yet applicable (its step has not happened). Read from the
human_task rows (what each step recorded), never from the workflow document.
"""
from dataclasses import dataclass, field, replace

from sqlalchemy import select

from .. import rules
from ..extensions import db
from ..models import HumanTask, Student

MET, NOT_MET, NOT_YET = "met", "not_met", "not_applicable"
#: A count recorded against the member register with a reason (register_votes.py): lawful only if the
#: reason holds, so the auditor is shown it rather than told it was met.
OVERRIDE = "override"
DECISION_STEPS = ("decide_admission", "decide_admission_delegated")
RECOGNITION_STEPS = ("decide_recognition", "decide_recognition_delegated")


@dataclass(frozen=True)
class RuleCheck:
    key: str
    status: str
    detail: dict = field(default_factory=dict)
    #: The rule values this check used that the case's rule set marks unconfirmed [U] (rulesets.py):
    #: the panel says "chưa xác nhận trong văn bản" next to them.
    unconfirmed: tuple[str, ...] = ()


#: Which rule values each check reads (so the panel can flag the unconfirmed ones among them).
CHECK_RULES = {
    "age_at_meeting": ("min_age_months", "max_age_years", "age_day_counts"),
    "certificate_valid": ("certificate_valid_months",),
    "documents_fresh": ("document_valid_months",),
    "introducers": ("introducer_min_months",),
    "cell_vote": ("cell_vote_fraction",),
    "committee_vote": ("committee_vote_fraction",),
    "decision_vote": ("standing_committee_fraction",),
    "decision_deadline": ("decision_working_days", "decision_extension_working_days"),
    "ceremony_deadline": ("ceremony_working_days",),
    "recognition": ("cell_vote_fraction", "max_recognition_votes"),
}


class _Record:
    """The completed steps of one case, in order, by spec name."""

    def __init__(self, instance):
        self.rows = db.session.execute(
            select(HumanTask).where(HumanTask.instance_id == instance.id, HumanTask.status == "completed")
            .order_by(HumanTask.completed_at, HumanTask.id)).scalars().all()

    def all(self, *specs):
        return [row.submitted or {} for row in self.rows if row.spec_name in specs]

    def last(self, *specs, before=None):
        found = None
        for row in self.rows:
            if before is not None and row.completed_at >= before:
                break
            if row.spec_name in specs:
                found = row.submitted or {}
        return found

    def first_time(self, *specs):
        return next((row.completed_at for row in self.rows if row.spec_name in specs), None)


def _value(rule_set, name):
    return rules.rule_value(rule_set, name)


def check_case(instance):
    record = _Record(instance)
    student = db.session.get(Student, instance.student_id)
    rule_set = instance.rule_set
    decided_at = record.first_time(*DECISION_STEPS)
    checks = [
        _age(record, student, rule_set, decided_at),
        _certificate(record, rule_set, decided_at),
        _documents(record, rule_set, decided_at),
        _verification(record, decided_at),
        _introducers(record, rule_set),
        _cell_vote(record, rule_set, decided_at),
        _committee_vote(record, rule_set, decided_at),
        _decision_vote(record, rule_set),
        _decision_deadline(record, rule_set),
        _ceremony(record, rule_set),
        _recognition_vote(record, rule_set, decided_at),
        _register_counts(record),
    ]
    unconfirmed = rules.RULE_SETS[rule_set].unconfirmed if rule_set in rules.RULE_SETS else frozenset()
    return [replace(check, unconfirmed=tuple(name for name in CHECK_RULES.get(check.key, ()) if name in unconfirmed))
            for check in checks]


def _judged_on(record, decided_at):
    """The day age, certificate and dossier are judged at: the admission cell vote's own date (the
    planned meeting date only schedules the meeting)."""
    vote = record.last("record_cell_vote", before=decided_at)
    return (vote or {}).get("vote_date")


def _age(record, student, rule_set, decided_at):
    on = _judged_on(record, decided_at)
    if not on:
        return RuleCheck("age_at_meeting", NOT_YET)
    months = rules.age_in_months(student.date_of_birth, on,
                                 day_counts=_value(rule_set, "age_day_counts"))
    ok = rules.is_of_age(student.date_of_birth, on, min_months=_value(rule_set, "min_age_months"),
                         max_years=_value(rule_set, "max_age_years"), day_counts=_value(rule_set, "age_day_counts"))
    return RuleCheck("age_at_meeting", MET if ok else NOT_MET,
                     {"months": months, "vote_date": on})


def _certificate(record, rule_set, decided_at):
    on, course = _judged_on(record, decided_at), record.last("record_course_result", before=decided_at)
    if not on or not course or not course.get("certificate_date"):
        return RuleCheck("certificate_valid", NOT_YET)
    ok = rules.certificate_valid(course["certificate_date"], on,
                                 months=_value(rule_set, "certificate_valid_months"))
    return RuleCheck("certificate_valid", MET if ok else NOT_MET,
                     {"certificate_date": course["certificate_date"], "vote_date": on,
                      "valid_months": _value(rule_set, "certificate_valid_months")})


def _documents(record, rule_set, decided_at):
    on, application = _judged_on(record, decided_at), record.last("write_application", before=decided_at)
    if not on or not application:
        return RuleCheck("documents_fresh", NOT_YET)
    months = _value(rule_set, "document_valid_months")
    ok = all(rules.document_fresh(application[key], on, months=months)
             for key in ("application_date", "history_date"))
    return RuleCheck("documents_fresh", MET if ok else NOT_MET,
                     {"application_date": application["application_date"],
                      "history_date": application.get("history_date"), "vote_date": on, "valid_months": months})


def _verification(record, decided_at):
    application = record.last("write_application", before=decided_at)
    if not application:
        return RuleCheck("verification", NOT_YET)
    if application.get("family_has_party_member"):
        return RuleCheck("verification", MET, {"exempt": True})
    answers = record.all("record_verification")
    if not answers:
        return RuleCheck("verification", NOT_YET)
    # An unclear or negative answer is lawful once the competent committee concluded it and the
    # grassroots committee certified the history (items 25-26); the certification says the last word.
    problems = [a for a in answers if a.get("verification_finding") in ("problem", "unclear")]
    conclusion = record.last("conclude_verification_finding", before=decided_at) or {}
    certification = record.last("certify_history", "certify_history_grassroots_cell", before=decided_at) or {}
    concluded = conclusion.get("finding_conclusion") == "resume"
    certified = certification.get("history_certification")
    ok = (not problems or concluded) and certified != "not_eligible"
    return RuleCheck("verification", MET if ok else NOT_MET,
                     {"answers": len(answers), "problems": len(problems),
                      "conclusion": conclusion.get("finding_conclusion_number") if problems else None,
                      "certified": certified})


def _introducers(record, rule_set):
    intro = record.last("assign_introducers")
    if not intro:
        return RuleCheck("introducers", NOT_YET)
    min_months = _value(rule_set, "introducer_min_months")
    names, ok = [], True
    for prefix in ("introducer1", "introducer2"):
        if not intro.get(f"{prefix}_name"):
            continue
        names.append(intro[f"{prefix}_name"])
        ok = ok and rules.introducer_qualified(bool(intro.get(f"{prefix}_official")),
                                               int(intro.get(f"{prefix}_months_together") or 0),
                                               bool(intro.get(f"{prefix}_replacement")), min_months=min_months)
    if intro.get("introduction_mode") == "two_members" and len(names) < 2:
        ok = False
    return RuleCheck("introducers", MET if ok else NOT_MET, {"names": ", ".join(names), "min_months": min_months})


def _tally(vote, fraction):
    counted = rules.counted_members(int(vote["official_members"]), int(vote.get("temporarily_attached") or 0),
                                    int(vote.get("exempt_absent") or 0))
    needed = rules.threshold(counted, *fraction)
    return counted, needed, rules.vote_passes(int(vote["agree"]), counted, *fraction)


def _cell_vote(record, rule_set, decided_at):
    """The cell resolution that sent the case up must reach 2/3 of the counted official members."""
    vote = record.last("record_cell_vote", before=decided_at)
    if not vote or decided_at is None:
        return RuleCheck("cell_vote", NOT_YET)
    counted, needed, ok = _tally(vote, _value(rule_set, "cell_vote_fraction"))
    return RuleCheck("cell_vote", MET if ok else NOT_MET,
                     {"agree": vote["agree"], "counted": counted, "needed": needed,
                      "resolution": vote.get("resolution_number"), "vote_date": vote.get("vote_date"),
                      "official": vote.get("official_members"), "source": _count_source(vote),
                      "fraction": "/".join(map(str, _value(rule_set, "cell_vote_fraction")))})


def _count_source(vote):
    """Where a vote's count of members stands: the member register on the vote's day, the register
    overridden with a reason, or only the typed record (no register kept for the body)."""
    facts = next((value for key, value in vote.items() if key.endswith("_register") and isinstance(value, dict)), None)
    if not facts or not facts.get("kept"):
        return "record"
    return "override" if facts.get("overridden") else "register"


def _committee_vote(record, rule_set, decided_at):
    vote = record.last("record_committee_vote", before=decided_at)
    if not vote:
        return RuleCheck("committee_vote", NOT_YET)
    members = int(vote["committee_members"])
    fraction = _value(rule_set, "committee_vote_fraction")
    ok = rules.vote_passes(int(vote["committee_agree"]), members, *fraction)
    # A failed committee vote is reported up, not a breach; the check says whether 2/3 was reached.
    return RuleCheck("committee_vote", MET if ok else NOT_MET,
                     {"agree": vote["committee_agree"], "members": members,
                      "needed": rules.threshold(members, *fraction), "source": _count_source(vote),
                      "fraction": "/".join(map(str, fraction))})


def _decision_vote(record, rule_set):
    decision = record.last(*DECISION_STEPS)
    if not decision:
        return RuleCheck("decision_vote", NOT_YET)
    members = int(decision["decision_members"])
    fraction = _value(rule_set, "standing_committee_fraction")
    needed = rules.threshold(members, *fraction)
    ok = decision["decision"] != "admit" or int(decision["decision_agree"]) >= needed
    return RuleCheck("decision_vote", MET if ok else NOT_MET,
                     {"agree": decision["decision_agree"], "members": members, "needed": needed,
                      "decision": decision["decision"], "number": decision.get("decision_number"),
                      "source": _count_source(decision), "fraction": "/".join(map(str, fraction))})


def _decision_deadline(record, rule_set):
    decided_at = record.first_time(*DECISION_STEPS)
    vote = record.last("record_cell_vote", before=decided_at) if decided_at else None
    decision = record.last(*DECISION_STEPS)
    if not decision or not vote:
        return RuleCheck("decision_deadline", NOT_YET)
    extended = bool((record.last("appraise_file") or {}).get("request_extension"))
    due = rules.add_working_days(vote["resolution_date"], _value(rule_set, "decision_working_days")
                                 + (_value(rule_set, "decision_extension_working_days") if extended else 0))
    ok = rules.as_date(decision["decision_date"]) <= due
    return RuleCheck("decision_deadline", MET if ok else NOT_MET,
                     {"due": due.isoformat(), "decided": decision["decision_date"], "extended": extended,
                      "resolution_date": vote["resolution_date"]})


def _ceremony(record, rule_set):
    decision, ceremony = record.last(*DECISION_STEPS), record.last("hold_ceremony")
    if not decision or decision.get("decision") != "admit" or not ceremony:
        return RuleCheck("ceremony_deadline", NOT_YET)
    due = rules.add_working_days(decision["decision_date"], _value(rule_set, "ceremony_working_days"))
    ok = rules.as_date(ceremony["ceremony_date"]) <= due or bool(ceremony.get("upper_consent_number"))
    return RuleCheck("ceremony_deadline", MET if ok else NOT_MET,
                     {"due": due.isoformat(), "ceremony": ceremony["ceremony_date"],
                      "consent": ceremony.get("upper_consent_number"), "decided": decision["decision_date"]})


def _recognition_vote(record, rule_set, decided_at):
    recognition = record.last(*RECOGNITION_STEPS)
    if not recognition or decided_at is None:
        return RuleCheck("recognition", NOT_YET)
    votes = [row.submitted for row in record.rows
             if row.spec_name == "record_cell_vote" and row.completed_at > decided_at]
    passed = [v for v in votes if _tally(v, _value(rule_set, "cell_vote_fraction"))[2]]
    recognised = recognition.get("recognition_decision") == "recognise"
    max_votes = _value(rule_set, "max_recognition_votes")
    # Recognised after a 2/3 cell vote, or by the upper level after the allowed failed votes.
    ok = not recognised or bool(passed) or len(votes) >= max_votes
    return RuleCheck("recognition", MET if ok else NOT_MET,
                     {"votes": len(votes), "passed": len(passed), "decision": recognition.get("recognition_decision"),
                      "max_votes": max_votes})


def _register_counts(record):
    """Each vote's count against the member register on the vote's day (register_votes.py): met when
    they agree, an override (with both numbers and the reason) when the record differs with a reason."""
    seen = []
    for row in record.rows:
        facts = next((value for key, value in (row.submitted or {}).items()
                      if key.endswith("_register") and isinstance(value, dict)), None)
        if facts is not None:
            seen.append((row.spec_name, facts))
    if not seen:
        return RuleCheck("register_counts", NOT_YET)
    overrides = [{"step": spec, "day": facts["day"], "register": facts["register"]["counted"],
                  "recorded": facts["recorded"]["counted"], "reason": facts["reason"]}
                 for spec, facts in seen if facts.get("overridden")]
    unchecked = [spec for spec, facts in seen if not facts.get("kept")]
    if overrides:
        return RuleCheck("register_counts", OVERRIDE, {"overrides": overrides})
    return RuleCheck("register_counts", MET, {"votes": len(seen), "unchecked": unchecked} if unchecked
                     else {"votes": len(seen)})
