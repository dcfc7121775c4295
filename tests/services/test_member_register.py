"""The party member register: counts at a date, where a member stands, keeping it by hand, and the case entering it."""
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select

from webapp.extensions import db
from webapp.models import InstanceEvent
from webapp.models.register import BodyMembership, MemberAbsence, PartyMember
from webapp.services.errors import Forbidden, InvalidBatch, InvalidSubmission, NotFound
from webapp.services.register import counted_members, members_for_choice, standing, unit_counts
from webapp.services.register.csv_import import import_cell_csv, register_csv
from webapp.services.register.keeping import add_member, add_to_body, record_absence, record_leaving, update_member

NOW = datetime(2026, 6, 1, 3, 0, tzinfo=UTC)
CELL = "TQ-LN-THPT"


def _member(world, name, *, status="official", official_on="2015-05-01", admitted_on="2014-05-01",
            joined_on="2016-01-10", cell=CELL, **extra):
    values = {"full_name": name, "status": status, "official_on": official_on if status == "official" else "",
              "admitted_on": admitted_on, "joined_on": joined_on} | extra
    member = add_member(world.users["admin"], world.cells[cell].id, values, now=NOW)
    return member, _membership(member)


def _membership(member, body="cell"):
    return db.session.execute(select(BodyMembership).where(
        BodyMembership.member_id == member.id, BodyMembership.body == body)).scalar_one()


def _events(kind):
    return db.session.execute(select(InstanceEvent).where(InstanceEvent.kind == kind)
                              .order_by(InstanceEvent.seq)).scalars().all()


def _count(model):
    return db.session.execute(select(func.count()).select_from(model)).scalar()


def _empty_register(world, cell=CELL):
    """The demo world's register of a cell, emptied (these tests build their own)."""
    unit_id = world.cells[cell].id
    ids = db.session.execute(select(BodyMembership.id).where(BodyMembership.unit_id == unit_id)).scalars().all()
    db.session.query(MemberAbsence).filter(MemberAbsence.membership_id.in_(ids)).delete()
    db.session.query(BodyMembership).filter(BodyMembership.id.in_(ids)).delete()
    db.session.commit()


def test_counts_at_a_date_follow_joining_leaving_attachment_and_exemption(world):
    _empty_register(world)
    cell = world.cells[CELL].id
    admin = world.users["admin"]
    _a, a_row = _member(world, "Nguyễn Văn Một")
    b, b_row = _member(world, "Trần Thị Hai")
    _member(world, "Lê Văn Ba", joined_on="2026-03-01")
    _member(world, "Phạm Thị Bốn", status="probationary", admitted_on="2025-12-20", joined_on="2025-12-20")
    e, e_row = _member(world, "Hoàng Văn Năm")
    record_absence(admin, b_row.id, {"kind": "attached", "starts_on": "2026-02-01", "ends_on": "2026-04-30",
                                     "detail": "Đảng bộ Sở Giáo dục"}, now=NOW)
    record_absence(admin, e_row.id, {"kind": "exempt", "starts_on": "2026-01-15", "detail": "Tuổi cao, sức yếu"},
                   now=NOW)
    record_leaving(admin, a_row.id, {"left_on": "2026-05-01", "left_reason": "Chuyển sinh hoạt đến chi bộ khác"},
                   now=NOW)

    january = counted_members(cell, date(2026, 1, 10))
    assert [m.full_name for m in january.official] == ["Hoàng Văn Năm", "Nguyễn Văn Một", "Trần Thị Hai"]
    assert [m.full_name for m in january.probationary] == ["Phạm Thị Bốn"]
    assert january.attached_elsewhere == () and january.exempt == ()
    assert january.denominator() == 3

    march = counted_members(cell, date(2026, 3, 15))
    assert len(march.official) == 5 - 1  # Bốn is probationary, Ba joined on 1 March
    assert [m.full_name for m in march.attached_elsewhere] == ["Trần Thị Hai"]
    assert [m.full_name for m in march.exempt] == ["Hoàng Văn Năm"]
    assert march.denominator() == 4 - 1 - 1  # the exempted member absent
    assert march.denominator(present_member_ids={e.id}) == 4 - 1  # the exempted member came: counts
    assert march.denominator(present_member_ids={b.id}) == 2  # attached elsewhere never counts

    may = counted_members(cell, date(2026, 5, 1))  # Một left that day; Hai's attachment ended on 30 April
    assert {m.full_name for m in may.official} == {"Trần Thị Hai", "Lê Văn Ba", "Hoàng Văn Năm"}
    assert may.attached_elsewhere == ()
    assert may.denominator() == 2
    assert unit_counts(cell, date(2026, 5, 1)).official == 3
    assert unit_counts(cell, date(2026, 5, 1)).official_source == "register"


def test_standing_gives_status_and_full_months_in_the_unit(world):
    _empty_register(world)
    cell = world.cells[CELL].id
    member, _ = _member(world, "Nguyễn Văn Giới Thiệu", official_on="2020-03-01", admitted_on="2019-03-01",
                        joined_on="2025-06-15")
    on_the_day = standing(member.id, cell, date(2026, 6, 15))
    assert (on_the_day.status, on_the_day.months_in_unit, on_the_day.joined_unit_on) == ("official", 12,
                                                                                       date(2025, 6, 15))
    assert standing(member.id, cell, date(2026, 6, 14)).months_in_unit == 11
    assert standing(member.id, cell, date(2020, 1, 1)).status == "probationary"
    elsewhere = standing(member.id, world.cells["TQ-CH-THPT"].id, date(2026, 6, 15))
    assert (elsewhere.joined_unit_on, elsewhere.months_in_unit) == (None, 0)
    _probationary, _ = _member(world, "Trần Thị Dự Bị", status="probationary", admitted_on="2026-01-10",
                              joined_on="2026-01-10")
    choice = members_for_choice(cell, date(2026, 5, 1))
    assert [entry.full_name for entry in choice] == ["Nguyễn Văn Giới Thiệu", "Trần Thị Dự Bị"]
    assert [entry.status for entry in choice] == ["official", "probationary"]


def test_a_unit_without_a_register_shows_its_typed_count_flagged(world):
    _empty_register(world)
    counts = unit_counts(world.cells[CELL].id, date(2026, 5, 1))
    assert (counts.official, counts.official_source) == (world.cells[CELL].official_members, "typed")
    assert counted_members(world.cells[CELL].id, date(2026, 5, 1)).kept is False


def test_adding_a_member_is_an_audit_event_without_the_full_identity_number(world):
    member, _ = _member(world, "Vũ Thị Sáu", citizen_id="001190012345", username=f"{CELL.lower()}.verifier")
    event = _events("member_entered")[-1]
    assert event.payload["member_id"] == member.id and event.actor_id == world.users["admin"].id
    assert "001190012345" not in str(event.payload)
    assert member.user_id == world.users[(CELL, "verifier")].id


@pytest.mark.parametrize(("values", "field", "code"), [
    ({"joined_on": "2027-01-01"}, "joined_on", "register_future_date"),
    ({"official_on": "2026-06-02"}, "official_on", "register_future_date"),
    ({"date_of_birth": "2027-01-01"}, "date_of_birth", "register_future_date"),
    ({"joined_on": "31/02/2020"}, "joined_on", "register_bad_date"),
    ({"official_on": "2013-01-01"}, "official_on", "register_official_before_admitted"),
    ({"joined_on": "2010-01-01"}, "joined_on", "register_joined_before_admitted"),
    ({"full_name": "   "}, "full_name", "required"),
    ({"status": "chính thức"}, "status", "register_bad_status"),
    ({"citizen_id": "00119001234X"}, "citizen_id", "register_bad_citizen_id"),
    ({"username": "nobody.here"}, "username", "register_unknown_account"),
    ({"status": "probationary", "official_on": "2015-05-01"}, "official_on",
     "register_probationary_has_official_date"),
])
def test_bad_input_is_refused_by_field_and_changes_nothing(world, values, field, code):
    before = (_count(PartyMember), _count(BodyMembership), len(_events("member_entered")))
    base = {"full_name": "Đỗ Văn Bảy", "status": "official", "admitted_on": "2014-05-01",
            "official_on": "2015-05-01", "joined_on": "2016-01-10"}
    with pytest.raises(InvalidSubmission) as refused:
        add_member(world.users["admin"], world.cells[CELL].id, base | values, now=NOW)
    assert code in refused.value.errors[field]
    assert (_count(PartyMember), _count(BodyMembership), len(_events("member_entered"))) == before


def test_one_person_one_record_and_one_account_one_member(world):
    _member(world, "Ngô Văn Tám", citizen_id="001190099999", username=f"{CELL.lower()}.verifier")
    with pytest.raises(InvalidSubmission) as refused:
        _member(world, "Ngô Văn Tám", citizen_id="001190099999", cell="TQ-CH-THPT")
    assert refused.value.errors == {"citizen_id": ["register_citizen_id_taken"]}
    with pytest.raises(InvalidSubmission) as refused:
        _member(world, "Người Khác", username=f"{CELL.lower()}.verifier")
    assert refused.value.errors == {"username": ["register_account_taken"]}


def test_a_secretary_keeps_only_the_register_of_their_own_cell(world):
    secretary = world.users[(CELL, "cell_secretary")]
    own = add_member(secretary, world.cells[CELL].id, {
        "full_name": "Đặng Văn Chín", "status": "official", "official_on": "2012-01-01", "joined_on": "2012-01-01"},
        now=NOW)
    assert own.id
    other = world.cells["TQ-CH-THPT"].id
    before = _count(PartyMember)
    with pytest.raises(Forbidden):
        add_member(secretary, other, {"full_name": "X", "status": "official", "official_on": "2012-01-01",
                                      "joined_on": "2012-01-01"}, now=NOW)
    foreign = counted_members(other, date(2026, 5, 1)).official[0]
    with pytest.raises(Forbidden):
        record_leaving(secretary, foreign.membership_id, {"left_on": "2026-05-01", "left_reason": "x"}, now=NOW)
    with pytest.raises(Forbidden):
        update_member(secretary, foreign.membership_id, {"full_name": "Đổi Tên", "status": "official",
                                                         "official_on": "2012-01-01"}, now=NOW)
    with pytest.raises(NotFound):  # a grassroots cell has no committee: nobody records one there
        add_to_body(world.users["admin"], world.cells[CELL].id, own.id, {"joined_on": "2020-01-01"},
                    body="committee", now=NOW)
    committee = world.tree["grassroots_committees"][0].id
    with pytest.raises(Forbidden):  # committees are kept by administrators
        add_to_body(secretary, committee, own.id, {"joined_on": "2020-01-01"}, body="committee", now=NOW)
    with pytest.raises(NotFound):
        add_member(secretary, 999_999, {}, now=NOW)
    assert _count(PartyMember) == before
    assert counted_members(other, date(2026, 5, 1)).official[0].full_name == foreign.full_name


def test_leaving_and_absences_are_checked_against_the_membership(world):
    admin = world.users["admin"]
    _, row = _member(world, "Bùi Thị Mười", joined_on="2020-01-01")
    with pytest.raises(InvalidSubmission) as refused:
        record_absence(admin, row.id, {"kind": "exempt", "starts_on": "2019-12-31", "detail": "Ốm"}, now=NOW)
    assert refused.value.errors == {"starts_on": ["register_before_joined"]}
    with pytest.raises(InvalidSubmission) as refused:
        record_absence(admin, row.id, {"kind": "holiday", "starts_on": "2026-01-01", "ends_on": "2025-01-01",
                                       "detail": ""}, now=NOW)
    assert set(refused.value.errors) == {"kind", "ends_on", "detail"}
    with pytest.raises(InvalidSubmission) as refused:
        record_leaving(admin, row.id, {"left_on": "2026-07-01", "left_reason": "Chuyển đi"}, now=NOW)
    assert refused.value.errors == {"left_on": ["register_future_date"]}
    record_leaving(admin, row.id, {"left_on": "2026-05-01", "left_reason": "Chuyển đi"}, now=NOW)
    with pytest.raises(InvalidSubmission) as refused:
        record_leaving(admin, row.id, {"left_on": "2026-05-02", "left_reason": "Lại"}, now=NOW)
    assert refused.value.errors == {"left_on": ["register_already_left"]}
    assert [e.payload["reason"] for e in _events("member_left")] == ["Chuyển đi"]



GOOD_CSV = (
    "Họ và tên;Ngày sinh;Số CCCD;Trạng thái;Ngày vào Đảng;Ngày chính thức;Ngày sinh hoạt tại chi bộ\n"
    "Nguyễn Thị Ánh Tuyết;12/03/1980;001180000001;Chính thức;01/05/2005;01/05/2006;10/01/2010\n"
    "Đặng Quốc Việt;1999-07-30;;du bi;2025-11-20;;2025-11-20\n"
)


def test_a_csv_file_enters_a_whole_cell_in_one_audit_event(world):
    _empty_register(world)
    cell = world.cells[CELL].id
    secretary = world.users[(CELL, "cell_secretary")]
    members = import_cell_csv(secretary, cell, ("\ufeff" + GOOD_CSV).encode(), now=NOW)
    assert [m.full_name for m in members] == ["Nguyễn Thị Ánh Tuyết", "Đặng Quốc Việt"]
    counted = counted_members(cell, date(2026, 5, 1))
    assert ([e.full_name for e in counted.official], [e.full_name for e in counted.probationary]) == (
        ["Nguyễn Thị Ánh Tuyết"], ["Đặng Quốc Việt"])
    event = _events("register_imported")[-1]
    assert (event.payload["members"], event.payload["source"], event.actor_id) == (2, "csv", secretary.id)
    exported = register_csv(secretary, cell, date(2026, 5, 1))
    assert exported.startswith("\ufeffHọ và tên,")
    assert "Nguyễn Thị Ánh Tuyết,12/03/1980,•••••••••001,Chính thức,01/05/2005,01/05/2006,10/01/2010" in exported
    assert "001180000001" not in exported


def test_a_csv_with_any_bad_row_is_refused_whole_with_line_numbers(world):
    _member(world, "Đã Có", citizen_id="001180000009")
    before = (_count(PartyMember), _count(BodyMembership), len(_events("register_imported")))
    bad = GOOD_CSV + (
        "Trần Văn Tương Lai;01/01/1990;;Chính thức;01/01/2010;01/01/2011;01/01/2027\n"
        "Lê Văn Trùng;01/01/1990;001180000001;Chính thức;01/01/2010;01/01/2011;01/01/2012\n"
        "Lê Văn Đã Có;01/01/1990;001180000009;Chính thức;01/01/2010;01/01/2011;01/01/2012\n"
        "=HYPERLINK(\"x\");01/01/1990;;đảng viên;01/01/2010;;01/01/2012\n")
    with pytest.raises(InvalidBatch) as refused:
        import_cell_csv(world.users["admin"], world.cells[CELL].id, bad.encode(), now=NOW)
    assert refused.value.errors == {
        4: {"joined_on": ["register_future_date"]},
        5: {"citizen_id": ["register_citizen_id_taken"]},  # the same number twice in the file
        6: {"citizen_id": ["register_citizen_id_taken"]},  # already in the register
        7: {"status": ["register_bad_status"]},
    }
    assert (_count(PartyMember), _count(BodyMembership), len(_events("register_imported"))) == before


@pytest.mark.parametrize(("data", "errors"), [
    (b"", {"file": ["register_csv_empty"]}),
    ("Họ và tên;Trạng thái;Ngày sinh hoạt tại chi bộ\n".encode(), {"file": ["register_csv_empty"]}),
    ("Họ và tên;Chức vụ\nA;B\n".encode(), {"file": ["register_csv_bad_header"], "unknown_columns": ["Chức vụ"],
                                          "missing_columns": ["status", "joined_on"]}),
    ("Họ và tên;Trạng thái\n".encode("utf-16"), {"file": ["register_csv_not_utf8"]}),
])
def test_a_file_that_is_not_a_register_is_refused(world, data, errors):
    with pytest.raises(InvalidSubmission) as refused:
        import_cell_csv(world.users["admin"], world.cells[CELL].id, data, now=NOW)
    assert refused.value.errors == errors


def test_headers_without_marks_and_commas_are_read(world):
    _empty_register(world)
    text = "ho va ten,trang thai,ngay chinh thuc,ngay vao chi bo,tai khoan\n" \
           f"Phạm Văn Khoa,chinh thuc,2010-01-01,2012-01-01,{CELL.lower()}.verifier\n"
    (member,) = import_cell_csv(world.users["admin"], world.cells[CELL].id, text.encode(), now=NOW)
    assert member.user_id == world.users[(CELL, "verifier")].id and member.official_on == date(2010, 1, 1)
