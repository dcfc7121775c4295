"""The unit edit page lists the running cases a change reroutes before saving it (issue 10), and
saves such a change only when confirmed from that very preview; cancelling changes nothing."""
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import OrgUnit, ProcessInstance

from .helpers import alerts, events, html, input_value, redirect_path, texts


def _unit(code):
    return db.session.execute(select(OrgUnit).where(OrgUnit.code == code)).scalar_one()


def _fields(unit, **changes):
    fields = {"name": unit.name, "kind": unit.kind, "parent_id": str(unit.parent_id or ""),
              "deciding_unit_id": str(unit.deciding_unit_id or ""), "official_members": str(unit.official_members),
              "committee_members": str(unit.committee_members), "rule_set": unit.rule_set}
    return fields | ({"delegated": "y"} if unit.delegated else {}) | changes


def _rerouted(page):
    return [[" ".join(cell.text_content().split()) for cell in row.xpath("td")]
            for row in html(page).xpath("//table[@data-testid='rerouted-rows']/tbody/tr")]


def test_the_preview_lists_exactly_the_rerouted_cases_and_cancel_changes_nothing(as_user, start_case, driver):
    cell, faculty, university = _unit("TQ-DHTT-SP-SV"), _unit("TQ-DHTT-SP"), _unit("TQ-DHTT")
    early = start_case("TQ-DHTT-SP-SV")
    driver.run(early.id, until="plan_cell_meeting")
    late = start_case("TQ-DHTT-SP-SV", full_name="Trần Thị Bình")
    driver.run(late.id, until="record_committee_vote")
    admin, url = as_user("admin"), f"/admin/units/{cell.id}"
    fields = _fields(cell, parent_id=str(university.id))

    preview = admin.post(url, fields | {"action": "preview"})
    assert preview.status_code == 200
    assert texts(preview, "//*[@data-testid='impact-cases']") == ["2"]
    assert texts(preview, "//*[@data-testid='impact-rerouted']") == ["1"]
    step = db.session.get(ProcessInstance, early.id).current_step  # its name is the diagram's
    assert _rerouted(preview) == [[f"#{early.id}", step,
                                   "Thẩm định của đảng ủy bộ phận", faculty.name, "không có bước này"]]
    assert texts(preview, "//*[@data-testid='save-unit']") == ["Xác nhận và lưu"]

    cancelled = admin.get(url)  # "Hủy, không lưu" is a link back to the page
    assert cancelled.status_code == 200 and not html(cancelled).xpath("//*[@data-testid='impact']")
    db.session.expire_all()
    assert db.session.get(OrgUnit, cell.id).parent_id == faculty.id and events("unit_changed") == []


def test_saving_a_rerouting_change_needs_the_preview_and_a_stale_one_is_refused(as_user, start_case):
    university, province = _unit("TQ-DHTT"), _unit("TQ")
    first = start_case("TQ-DHTT-SP-SV")
    admin, url = as_user("admin"), f"/admin/units/{university.id}"
    fields = _fields(university)
    del fields["delegated"]  # delegation withdrawn: the decisions go up to the province

    unconfirmed = admin.post(url, fields | {"action": "save"})  # straight to save, or a forged POST
    assert unconfirmed.status_code == 409
    assert alerts(unconfirmed) == ["Thay đổi này chuyển việc của hồ sơ đang chạy sang đơn vị khác (danh sách "
                                   "bên dưới). Chưa lưu: xem lại rồi bấm Lưu lần nữa để xác nhận."]
    assert _rerouted(unconfirmed)[0][0] == f"#{first.id}"
    token = input_value(unconfirmed, "impact_token")
    db.session.expire_all()
    assert db.session.get(OrgUnit, university.id).delegated is True

    second = start_case("TQ-DHTT-SP-SV", full_name="Lê Văn Cường")  # the world moved on since
    stale = admin.post(url, fields | {"action": "save", "impact_token": token})
    assert stale.status_code == 409 and alerts(stale)[0].startswith("Từ lúc xem trước")
    assert [row[0] for row in _rerouted(stale)] == [f"#{first.id}", f"#{second.id}"]
    assert [row[3:] for row in _rerouted(stale)] == [[university.name, province.name]] * 2
    db.session.expire_all()
    assert db.session.get(OrgUnit, university.id).delegated is True and events("unit_changed") == []

    saved = admin.post(url, fields | {"action": "save", "impact_token": input_value(stale, "impact_token")})
    assert redirect_path(saved) == url
    db.session.expire_all()
    assert db.session.get(OrgUnit, university.id).delegated is False
    assert [r["case_id"] for r in events("unit_changed")[-1].payload["rerouted"]] == [first.id, second.id]
