"""Pages: a CCCD already registered is refused masked, with a link only for whoever may open the case;
a role granted where it does not exist is refused with the reason."""
from sqlalchemy import func, select

from webapp.extensions import db
from webapp.models import OrgUnit, RoleAssignment, Student
from webapp.services.register.keeping import add_member

from .helpers import db_state, field_errors, html, visible_text

CCCD = "001207055123"


def _student(**extra):
    return {"full_name": "Lý Thị Trùng", "date_of_birth": "2008-02-02", "sex": "F", "citizen_id": CCCD,
            "ethnicity": "Kinh", "religion": "Không", "occupation": "pupil", "school": "THPT",
            "class_name": "12A1", "youth_union_member": "y", **extra}


def test_a_registered_cccd_is_refused_with_a_link_for_those_who_may_see_it(start_case, as_user):
    existing = start_case("TQ-LN-THPT", citizen_id=CCCD)
    count = db.session.scalar(select(func.count(Student.id)))

    same_cell = as_user("tq-ln-thpt.cell_secretary")
    refused = same_cell.post("/cases/new", _student(), token_from="/cases/new")
    assert refused.status_code == 422
    text = visible_text(refused)
    assert "Số CCCD •••••••••123 đã được đăng ký cho một hồ sơ đang mở hoặc một đảng viên" in text
    assert CCCD not in text  # only in the box the user typed it into
    assert html(refused).xpath("//a[@data-testid='existing-case']/@href") == [f"/cases/{existing.id}"]

    other_cell = as_user("tq-ch-thpt.cell_secretary")
    refused = other_cell.post("/cases/new", _student(), token_from="/cases/new")
    assert refused.status_code == 422
    assert "Hồ sơ đó ở ngoài phạm vi của bạn" in visible_text(refused)
    assert not html(refused).xpath("//a[@data-testid='existing-case']")
    assert db.session.scalar(select(func.count(Student.id))) == count

    fresh = same_cell.post("/cases/new", _student(citizen_id="001207055124"), token_from="/cases/new")
    assert fresh.status_code == 302
    future = same_cell.post("/cases/new", _student(citizen_id="001207055125", date_of_birth="2099-01-01"),
                            token_from="/cases/new")
    assert future.status_code == 422 and "Ngày sinh không thể muộn hơn hôm nay" in visible_text(future)


def test_a_party_member_of_the_register_is_refused_with_no_case_to_link(as_user, world):
    add_member(world.users["admin"], world.cells["TQ-LN-THPT"].id, {
        "full_name": "Lý Thị Trùng", "status": "official", "admitted_on": "2014-05-01", "official_on": "2015-05-01",
        "joined_on": "2016-01-10", "citizen_id": CCCD})
    count = db.session.scalar(select(func.count(Student.id)))
    refused = as_user("tq-ch-thpt.cell_secretary").post("/cases/new", _student(), token_from="/cases/new")
    assert refused.status_code == 422
    text = visible_text(refused)
    assert ("Số CCCD •••••••••123 đã được đăng ký cho một hồ sơ đang mở hoặc một đảng viên: mỗi người "
            "chỉ có một hồ sơ.") in text
    assert "ngoài phạm vi" not in text and not html(refused).xpath("//a[@data-testid='existing-case']")
    assert db.session.scalar(select(func.count(Student.id))) == count


def test_a_role_where_it_does_not_exist_is_refused_with_the_reason(as_user, world):
    admin = as_user("admin")
    user = world.users[("TQ-LN-THPT", "introducer")]
    page = f"/admin/users/{user.id}"
    count = db.session.scalar(select(func.count(RoleAssignment.id)))
    refused = admin.post(f"{page}/roles", {"role": "standing_committee", "unit_id": str(world.cells["TQ-LN-THPT"].id)},
                         token_from=page)
    assert refused.status_code == 422
    [reason] = field_errors(refused, "role")
    assert reason.startswith("Vai trò này không có ở loại đơn vị đã chọn.") and "Ban Thường vụ" in reason
    assert db.session.scalar(select(func.count(RoleAssignment.id))) == count


def test_a_kind_change_that_would_leave_roles_where_they_do_not_exist_is_refused(as_user, world):
    committee = db.session.execute(select(OrgUnit).where(OrgUnit.code == "TQ-CX-THPT")).scalar_one()
    admin, url = as_user("admin"), f"/admin/units/{committee.id}"
    fields = {"name": committee.name, "kind": "grassroots_cell", "parent_id": str(committee.parent_id),
              "deciding_unit_id": str(committee.deciding_unit_id or ""),
              "official_members": str(committee.official_members),
              "committee_members": str(committee.committee_members),
              "rule_set": committee.rule_set} | ({"delegated": "y"} if committee.delegated else {})
    before = db_state()
    for action in ("preview", "save"):
        refused = admin.post(url, fields | {"action": action})
        assert refused.status_code == 422, action
        [reason] = field_errors(refused, "kind")
        assert reason.startswith("Vai trò này không có ở loại đơn vị đã chọn.")
    db.session.expire_all()
    assert db.session.get(OrgUnit, committee.id).kind == "grassroots_committee" and db_state() == before
