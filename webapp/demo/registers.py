"""The demo's party member registers: each cell's counts match its unit record, committees have their members.

Every demo cell gets as many official members as its `official_members` (nobody attached
elsewhere or exempted, so a full meeting counts them all), the cell's secretary and introducer
accounts are members of it (the introducer long enough for the 12 months), and each committee
(grassroots committee, sub-committee: `committee_members`; the deciding bodies' standing
committees: STANDING_MEMBERS) records its members the same way. One audit event per body.
"""
from datetime import timedelta

from ..extensions import db
from ..models.register import BodyMembership, PartyMember
from ..rules.dates import add_months
from ..services.audit import append_event
from ..services.clock import VIETNAM
from ..services.organisation_admin import update_unit
from ..services.register.counting import register_totals

#: Members of each demo standing committee (the demo decisions are taken by 9 members).
STANDING_MEMBERS = 9
_FAMILY = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương")
_MIDDLE = ("Văn", "Thị", "Đức", "Minh", "Thu", "Quang", "Ngọc", "Hữu", "Xuân")
_GIVEN = ("Bảo", "Cường", "Diệp", "Đạt", "Hiền", "Hòa", "Kiên", "Lâm", "Loan", "Nhung", "Phúc", "Quế", "Tâm",
          "Thắng", "Thủy", "Tiến", "Uyên", "Việt", "Xuân", "Yên")


def _names():
    n = 0
    while True:
        yield f"{_FAMILY[n % len(_FAMILY)]} {_MIDDLE[(n // 5) % len(_MIDDLE)]} {_GIVEN[(n * 3) % len(_GIVEN)]}"
        n += 1


def _body(unit, body, count, accounts, names, day, now):
    """`count` official members of `body` in `unit`; the first ones are the given accounts' own."""
    members = []
    for index in range(count):
        account = accounts[index] if index < len(accounts) else None
        admitted = add_months(day, -12 * (4 + index % 9) - index)
        member = PartyMember(full_name=account.full_name if account else next(names),
                             date_of_birth=add_months(admitted, -12 * (24 + index % 15)),
                             user_id=account.id if account else None,
                             admitted_on=admitted, official_on=add_months(admitted, 12))
        members.append(member)
    db.session.add_all(members)
    db.session.flush()
    db.session.add_all([BodyMembership(member_id=member.id, unit_id=unit.id, body=body,
                                       joined_on=member.admitted_on if body == "cell" else add_months(day, -24))
                        for member in members])
    append_event(kind="register_imported", occurred_at=now,
                 payload={"unit_id": unit.id, "body": body, "members": count, "source": "demo"})
    return members


def build_registers(tree, users, now):
    """The registers of the demo tree (in the caller's transaction)."""
    names, day = _names(), (now - timedelta(days=1)).date()
    for cell in tree["cells"]:
        accounts = [users[(cell.code, "cell_secretary")], users[(cell.code, "introducer")]]
        _body(cell, "cell", cell.official_members, accounts, names, day, now)
    for unit in tree["grassroots_committees"]:
        _body(unit, "committee", unit.committee_members, [users[(unit.code, "grassroots_committee")]], names, day,
              now)
    for unit in tree["subcommittees"]:
        _body(unit, "committee", unit.committee_members, [users[(unit.code, "subcommittee")]], names, day, now)
    for unit in [*tree["bodies"], tree["province"]]:
        _body(unit, "standing_committee", STANDING_MEMBERS, [users[(unit.code, "standing_committee")]], names, day,
              now)


def align_unit_records(tree, admin, now):
    """The unit records say what the registers say once the demo cases are in: the students the
    demo admitted entered their cells' registers (probationary, then official at recognition), so
    each cell's typed `official_members` (and each committee's `committee_members`) is brought to
    its register's count today, as an administrator would, through the audited unit edit."""
    totals = register_totals(now.astimezone(VIETNAM).date())
    for unit in tree["cells"]:
        if totals.get((unit.id, "cell"), unit.official_members) != unit.official_members:
            update_unit(admin, unit.id, {"official_members": totals[(unit.id, "cell")]}, now=now)
    for unit in [*tree["grassroots_committees"], *tree["subcommittees"]]:
        if totals.get((unit.id, "committee"), unit.committee_members) != unit.committee_members:
            update_unit(admin, unit.id, {"committee_members": totals[(unit.id, "committee")]}, now=now)
