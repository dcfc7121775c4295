"""Background-verification letters (20-KNĐ, issue 12) counted for a report (issue 11): how many the
scope's cells sent in the period, and where each stands today — the states of
services/verification_letters.places_to_verify, computed in SQL over `verification_request` and the
answering step (`human_task`), never by restoring a workflow:

- answered: the answering step is completed (and, of those, answered after the due day: late);
- sent: still awaited, the due day not passed;
- overdue: still awaited past the due day (`due_on` < today);
- withdrawn: the step was cancelled (the case stopped, or the verification was redone) — no longer
  awaited, neither answered nor overdue (the case page shows only a case's latest round).

A letter belongs to the case's unit (the sending cell), and to the period of the day it was sent.
The working days from sending to the answer (median, 90th percentile) say how slow verification is.
"""
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import and_, case, func, literal, select

from ...extensions import db
from ...models import HumanTask, OrgUnit, ProcessInstance, Student, VerificationRequest
from ..dossier import mask_citizen_id
from ..listing import PER_PAGE, Page, among
from .cases import CaseRow
from .counting import child_of
from .durations import WorkingCalendar, percentile

STATES = ("sent", "overdue", "answered", "withdrawn")
#: The figures of a row, in the order of the table: every letter, then by state, then the late answers.
FIGURES = ("all", "answered", "answered_late", "sent", "overdue", "withdrawn")


def _answer_day():
    return func.date(HumanTask.completed_at)


def _state(today):
    return case((HumanTask.status == "completed", literal("answered")),
                (HumanTask.status == "cancelled", literal("withdrawn")),
                (VerificationRequest.due_on < today, literal("overdue")), else_=literal("sent"))


def _condition(figure, today):
    """The SQL condition of one figure (None: every letter)."""
    if figure == "all":
        return None
    if figure == "answered_late":
        return and_(HumanTask.status == "completed", _answer_day() > VerificationRequest.due_on)
    return _state(today) == figure


def _letters(period, unit_ids):
    return (select().select_from(VerificationRequest)
            .join(HumanTask, HumanTask.id == VerificationRequest.task_id)
            .join(ProcessInstance, ProcessInstance.id == VerificationRequest.instance_id)
            .where(VerificationRequest.sent_on >= period.start, VerificationRequest.sent_on <= period.end,
                   among(ProcessInstance.unit_id, unit_ids)))


@dataclass
class LetterCounts:
    counts: dict = field(default_factory=lambda: dict.fromkeys(FIGURES, 0))
    days: list = field(default_factory=list)  # working days from sending to the answer, answered letters

    @property
    def median(self):
        return percentile(sorted(self.days), 0.5)

    @property
    def p90(self):
        return percentile(sorted(self.days), 0.9)


@dataclass(frozen=True)
class Letters:
    period: object
    previous: object
    whole: LetterCounts
    before: LetterCounts
    units: list  # (unit below, LetterCounts) in the scope's order


def _count(period, scope, today, *, per_unit):
    """(the scope's LetterCounts, {child id: LetterCounts}) from one statement over the letters of the period.

    One row per letter (a province sends some tens of thousands a year): the working days to the
    answer are counted here, on a working-day calendar, as the time per stage is.
    """
    late = case((and_(HumanTask.status == "completed", _answer_day() > VerificationRequest.due_on), 1), else_=0)
    rows = db.session.connection().execute(_letters(period, scope.unit_ids).add_columns(  # plain tuples
        ProcessInstance.unit_id, _state(today), late, VerificationRequest.sent_on, _answer_day())).all()
    mapping = child_of(scope.children) if per_unit else {}
    answered = [(row[3], _as_date(row[4])) for row in rows if row[1] == "answered" and row[4] is not None]
    calendar = (WorkingCalendar(min(start for start, _end in answered), max(max(pair) for pair in answered))
                if answered else None)
    whole, by_child = LetterCounts(), defaultdict(LetterCounts)
    for unit_id, state, late_one, sent_on, answered_on in rows:
        days = (calendar.between(sent_on, _as_date(answered_on))
                if state == "answered" and answered_on is not None else None)
        for target in (whole, by_child[mapping[unit_id]]) if unit_id in mapping else (whole,):
            target.counts["all"] += 1
            target.counts[state] += 1
            target.counts["answered_late"] += late_one
            if days is not None:
                target.days.append(days)
    return whole, by_child


def _as_date(value):
    """func.date() comes back as a date on PostgreSQL and as 'YYYY-MM-DD' text on SQLite."""
    if value is None or hasattr(value, "year"):
        return value
    return date.fromisoformat(str(value)[:10])


def verification_letters(scope, period, today):
    """The letters the scope's cells sent in `period` (and the same period last year), by state today."""
    whole, by_child = _count(period, scope, today, per_unit=True)
    previous = period.previous_year()
    before, _below = _count(previous, scope, today, per_unit=False)
    return Letters(period, previous, whole, before, [(unit, by_child[unit.id]) for unit in scope.children])


def letter_cases(scope, period, figure, today, *, page=1):
    """A page of the letters behind a figure (one row per letter: a case with two letters is listed twice)."""
    if figure not in FIGURES:
        return Page([], 0, 1)
    query = _letters(period, scope.unit_ids)
    condition = _condition(figure, today)
    if condition is not None:
        query = query.where(condition)
    total = db.session.execute(query.add_columns(func.count())).scalar()
    page = max(1, min(page, -(-total // PER_PAGE) or 1))
    rows = db.session.execute(
        query.add_columns(ProcessInstance.id, Student.full_name, Student.citizen_id, OrgUnit.name,
                          VerificationRequest.sent_on, ProcessInstance.status)
        .join(Student, Student.id == ProcessInstance.student_id)
        .join(OrgUnit, OrgUnit.id == ProcessInstance.unit_id)
        .order_by(VerificationRequest.sent_on.desc(), VerificationRequest.id.desc())
        .limit(PER_PAGE).offset((page - 1) * PER_PAGE)).all()
    return Page([CaseRow(row[0], row[1], mask_citizen_id(row[2]), row[3], row[4], row[5]) for row in rows], total, page)
