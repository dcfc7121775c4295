"""Annual targets (chỉ tiêu) of admissions: set by a board, reported against what was admitted.

"Members at the start of the year" is read from the member register (models/register.py): the
party members (probationary or official by then) in a cell of the unit on 1 January. A unit whose
cells keep no register has no such figure, and the page says so instead of guessing one.
"""
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError

from ...authz.reports import may_set_target_for
from ...extensions import db
from ...models import BodyMembership, PartyMember, UnitClosure
from ...models.stages import UnitTarget
from ..audit import append_event
from ..clock import resolve_now
from ..errors import Forbidden, InvalidSubmission
from ..listing import among
from .counting import count_stages, share
from .periods import make_period

MAX_TARGET = 100_000


def _members_on(unit_ids, day):
    """Party members (admitted by `day`) with a cell membership current on `day`, in these units."""
    query = (select(func.count(func.distinct(BodyMembership.member_id)))
             .join(PartyMember, PartyMember.id == BodyMembership.member_id)
             .where(among(BodyMembership.unit_id, unit_ids), BodyMembership.body == "cell",
                    BodyMembership.joined_on <= day,
                    or_(BodyMembership.left_on.is_(None), BodyMembership.left_on > day),
                    PartyMember.admitted_on <= day))
    return db.session.execute(query).scalar()


def _register_kept(unit_ids):
    return db.session.execute(select(BodyMembership.id).where(
        among(BodyMembership.unit_id, unit_ids), BodyMembership.body == "cell").limit(1)).first() is not None


@dataclass(frozen=True)
class TargetRow:
    unit: object
    target: int | None
    admitted: int
    members_at_start: int | None  # None: no register kept in the unit

    @property
    def reached(self):
        return share(self.admitted, self.target)

    @property
    def growth(self):
        return share(self.admitted, self.members_at_start)


def _row(unit, unit_ids, target, admitted, start):
    members = _members_on(unit_ids, start) if _register_kept(unit_ids) else None
    return TargetRow(unit, target, admitted, members)


def targets_report(scope, year):
    """The unit's and each unit below's target for `year`, the admissions that year, and the growth."""
    period = make_period("year", year)
    units = (scope.unit, *scope.children)
    targets = dict(db.session.execute(select(UnitTarget.unit_id, UnitTarget.admissions).where(
        UnitTarget.year == year, among(UnitTarget.unit_id, [unit.id for unit in units]))).all())
    start = date(year, 1, 1)
    counts = count_stages([period], scope.unit_ids, ("admitted",), scope.children)
    own = _row(scope.unit, scope.unit_ids, targets.get(scope.unit.id), counts.whole[(0, "admitted")], start)
    below = []
    for unit in scope.children:
        ids = db.session.execute(select(UnitClosure.descendant_id).where(UnitClosure.ancestor_id == unit.id)).scalars()
        below.append(_row(unit, list(ids), targets.get(unit.id), counts.by_child[(0, unit.id, "admitted")], start))
    return own, below


def _checked(year, admissions, today):
    errors = {}
    if not isinstance(year, int) or not today.year - 1 <= year <= today.year + 1:
        errors["year"] = ["target_year"]
    if not isinstance(admissions, int) or not 0 <= admissions <= MAX_TARGET:
        errors["admissions"] = ["target_number"]
    if errors:
        raise InvalidSubmission(errors)


def set_target(user, acting, unit_id, year, admissions, *, now=None):
    """Set (or change) a unit's target for a year; the change is an audit event with before/after.

    Two boards saving the first target of a unit at once: the second insert meets the unique
    (unit_id, year) and is retried once as a change of the row the first one wrote.
    """
    if not may_set_target_for(acting, unit_id):
        raise Forbidden("targets of that unit are not yours to set", code="report_unit_out_of_scope")
    now = resolve_now(now)
    _checked(year, admissions, now.date())
    for attempt in (1, 2):
        try:
            return _write_target(user, acting, unit_id, year, admissions, now)
        except IntegrityError:
            db.session.rollback()
            if attempt == 2:
                raise
        except Exception:
            db.session.rollback()
            raise
    return None


def _write_target(user, acting, unit_id, year, admissions, now):
    target = db.session.execute(select(UnitTarget).where(
        UnitTarget.unit_id == unit_id, UnitTarget.year == year).with_for_update()).scalar_one_or_none()
    before = target.admissions if target else None
    if target is None:
        target = UnitTarget(unit_id=unit_id, year=year, admissions=admissions)
        db.session.add(target)
    target.admissions, target.set_by_id, target.set_at = admissions, user.id, now
    db.session.flush()
    append_event(kind="target_set", occurred_at=now, actor=user, actor_role=acting.role, actor_unit_id=acting.unit_id,
                 payload={"unit_id": unit_id, "year": year, "before": before, "after": admissions})
    db.session.commit()
    return target
