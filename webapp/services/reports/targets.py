"""Annual targets (chỉ tiêu) of admissions: set by a board, reported against what was admitted.

"Members at the start of the year" is read from the member register (models/register.py): the
party members (probationary or official by then) in a cell of the unit on 1 January. A unit whose
cells keep no register has no such figure, and the page says so instead of guessing one.
"""
from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError

from ...authz.reports import may_set_target_for
from ...extensions import db
from ...models import BodyMembership, PartyMember
from ...models.stages import UnitTarget
from ..audit import append_event
from ..clock import resolve_now
from ..errors import Forbidden, InvalidSubmission
from ..listing import among
from .counting import child_of, count_stages, share
from .periods import make_period

MAX_TARGET = 100_000


def _members_by_unit(unit_ids, day):
    """({unit id: {member ids}} of the party members (admitted by `day`) with a cell membership current on
    `day`, {unit ids whose cells keep a register at all}) for these units, in two statements."""
    current = (select(BodyMembership.unit_id, BodyMembership.member_id).distinct()
               .join(PartyMember, PartyMember.id == BodyMembership.member_id)
               .where(among(BodyMembership.unit_id, unit_ids), BodyMembership.body == "cell",
                      BodyMembership.joined_on <= day,
                      or_(BodyMembership.left_on.is_(None), BodyMembership.left_on > day),
                      PartyMember.admitted_on <= day))
    members = defaultdict(set)
    for unit_id, member_id in db.session.execute(current).all():
        members[unit_id].add(member_id)
    kept = set(db.session.execute(select(BodyMembership.unit_id).distinct().where(
        among(BodyMembership.unit_id, unit_ids), BodyMembership.body == "cell")).scalars())
    return members, kept


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


def targets_report(scope, year):
    """The unit's and each unit below's target for `year`, the admissions that year, and the growth.

    A fixed number of statements whatever the number of units below: the targets, the admissions (one
    grouped count), the map of units to the unit below they lie under, and the register's members.
    """
    period = make_period("year", year)
    units = (scope.unit, *scope.children)
    targets = dict(db.session.execute(select(UnitTarget.unit_id, UnitTarget.admissions).where(
        UnitTarget.year == year, among(UnitTarget.unit_id, [unit.id for unit in units]))).all())
    counts = count_stages([period], scope.unit_ids, ("admitted",), scope.children)
    members, kept = _members_by_unit(scope.unit_ids, date(year, 1, 1))
    below_of = child_of(scope.children)

    def row(unit, unit_ids, admitted):
        if not kept.intersection(unit_ids):
            return TargetRow(unit, targets.get(unit.id), admitted, None)  # no register kept there
        return TargetRow(unit, targets.get(unit.id), admitted, len(set().union(*(members[i] for i in unit_ids))))

    own = row(scope.unit, scope.unit_ids, counts.whole[(0, "admitted")])
    ids_below = defaultdict(list)
    for unit_id, child in below_of.items():
        ids_below[child].append(unit_id)
    below = [row(unit, ids_below[unit.id], counts.by_child[(0, unit.id, "admitted")]) for unit in scope.children]
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
