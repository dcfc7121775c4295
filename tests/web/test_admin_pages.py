"""The administrators' pages through real HTTP: who may open them, and what each one does.

The demo administrator is `admin` (the role held at the province). A cell secretary and the
auditor are refused every page and every POST, and their POSTs change nothing.
"""
import io
from pathlib import Path

import pytest
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import HumanTask, OrgUnit, ProcessInstance, RoleAssignment, User
from webapp.services.versions import files_from_directories

from .helpers import (
    CEREMONY_LABEL,
    NEW_CEREMONY_LABEL,
    alerts,
    db_state,
    events,
    field_errors,
    html,
    input_value,
    redirect_path,
    texts,
    visible_text,
)
from .helpers import process_source as _source
from .helpers import process_versions as _versions

ROOT = Path(__file__).resolve().parents[2]
SECRETARY, AUDITOR = "tq-ln-thpt.cell_secretary", "tq.auditor"


def _id(model, **where):
    return db.session.execute(select(model.id).filter_by(**where)).scalar_one()


@pytest.fixture()
def ids(world):
    return {"unit": world.cells["TQ-LN-THPT"].id, "user": world.users[("TQ-LN-THPT", "introducer")].id,
            "version": _versions()[0].id,
            "assignment": _id(RoleAssignment, user_id=world.users[("TQ-LN-THPT", "introducer")].id)}


PAGES = ["/admin/processes", "/admin/processes/edit/admission.bpmn", "/admin/processes/upload", "/admin/versions",
         "/admin/versions?old={version}&new={version}", "/admin/versions/{version}/migration", "/admin/forms",
         "/admin/forms/hold_ceremony", "/admin/units", "/admin/units/{unit}", "/admin/users", "/admin/users/{user}"]
POSTS = ["/admin/processes/edit/admission.bpmn/validate", "/admin/processes/edit/admission.bpmn/deploy",
         "/admin/processes/upload", "/admin/versions/{version}/activate", "/admin/versions/{version}/migration",
         "/admin/forms/hold_ceremony", "/admin/forms/hold_ceremony/preview", "/admin/units", "/admin/units/{unit}",
         "/admin/users", "/admin/users/{user}/active", "/admin/users/{user}/password", "/admin/users/{user}/roles",
         "/admin/users/{user}/roles/{assignment}/revoke"]


def test_every_admin_page_opens_for_the_administrator(as_user, ids):
    admin = as_user("admin")
    for url in PAGES:
        response = admin.get(url.format(**ids))
        assert response.status_code == 200, url
        assert "Quản trị hệ thống" in visible_text(response)
    nav = texts(admin.get("/inbox"), "//nav//a[starts-with(@href, '/admin/')]")
    assert nav == ["Quy trình", "Biểu mẫu", "Phiên bản", "Đơn vị", "Người dùng", "Vận hành"]


@pytest.mark.parametrize("username", [SECRETARY, AUDITOR])
def test_everybody_else_is_refused_every_page_and_every_post(as_user, ids, username):
    other = as_user(username)
    for url in PAGES:
        assert other.get(url.format(**ids)).status_code == 403, url
    assert not texts(other.get("/inbox"), "//nav//a[starts-with(@href, '/admin/')]")
    before = db_state()
    for url in POSTS:
        data = {"xml": _source(), "comment": "thử", "schema": "{}", "active": "0", "password": "mot-mat-khau-dai",
                "role": "admin", "unit_id": str(ids["unit"]), "instance": "1", "action": "save", "name": "X",
                "kind": "cell", "rule_set": "2025", "username": "ke-gian", "full_name": "Kẻ Gian"}
        assert other.post(url.format(**ids), data, token_from="/inbox").status_code == 403, url
    assert db_state() == before and len(_versions()) == 1


def test_anonymous_visitors_are_sent_to_sign_in(browser, ids):
    response = browser.get("/admin/units")
    assert response.status_code == 302 and redirect_path(response).startswith("/login")


# --- the diagram editor's endpoints ------------------------------------------------------------------


def _validate(admin, xml):
    response = admin.post("/admin/processes/edit/admission.bpmn/validate", {"xml": xml},
                          token_from="/admin/processes/edit/admission.bpmn", headers={"Accept": "application/json"})
    assert response.status_code == 200
    return response.get_json()


def test_validate_names_the_elements_of_a_broken_diagram(as_user):
    admin = as_user("admin")
    assert _validate(admin, _source()) == {"ok": True, "problems": []}

    broken = _source().replace('name="cell_secretary"', 'name="secretary"').replace("course_attempts = 0", "import os")
    answer = _validate(admin, broken)
    assert not answer["ok"]
    by_element = {p["element_id"]: p for p in answer["problems"]}
    assert by_element["lane_cell_secretary"]["message"].startswith("Làn “secretary” không phải vai trò đã biết")
    assert by_element["initialise_case"]["message"] == ("Đoạn mã không được nhập mô-đun (import); chỉ dùng các hàm "
                                                         "có sẵn.")
    assert by_element["initialise_case"]["detail"] == "imports are not allowed in diagram scripts"  # the sandbox's own
    assert by_element["lane_cell_secretary"]["detail"] is None
    assert by_element["lane_cell_secretary"]["file_name"] == "admission.bpmn"
    assert isinstance(by_element["initialise_case"]["line"], int)
    assert len(_versions()) == 1  # validating stores nothing


def test_bare_iso_timers_are_accepted(as_user):
    admin = as_user("admin")
    bare = _source().replace("probation_end + 'T00:00:00+07:00'", "2027-12-03T00:00:00+07:00")
    assert bare != _source()
    assert _validate(admin, bare)["ok"]
    # A duration in a date timer would fail on every timer check of the case (SpiffWorkflow compares it with
    # a date-time): refused when deployed, saying where a duration goes (issue 9).
    duration = _validate(admin, _source().replace("probation_end + 'T00:00:00+07:00'", "P12M"))
    assert [p["message"] for p in duration["problems"]] == [
        "“P12M” là một khoảng thời gian, không phải một thời điểm: bộ hẹn giờ theo ngày (timeDate) cần một thời "
        "điểm; khoảng thời gian ghi ở timeDuration."]


def _deploy(admin, xml, comment):
    return admin.post("/admin/processes/edit/admission.bpmn/deploy", {"xml": xml, "comment": comment},
                      token_from="/admin/processes/edit/admission.bpmn", headers={"Accept": "application/json"})


def test_deploy_stores_a_new_active_version_with_an_audit_event(as_user, world):
    admin = as_user("admin")
    response = _deploy(admin, _source().replace(CEREMONY_LABEL, NEW_CEREMONY_LABEL), "Thêm đại diện Đoàn")
    assert response.status_code == 200
    assert response.get_json() == {
        "ok": True, "number": 2, "created": True, "problems": [],
        "message": "Đã triển khai phiên bản 2; các hồ sơ mới sẽ chạy theo phiên bản này."}
    first, second = _versions()
    assert second.active and not first.active and second.comment == "Thêm đại diện Đoàn"
    assert second.deployed_by_id == world.users["admin"].id
    deployed = events("process_deployed")[-1]
    assert deployed.actor_id == world.users["admin"].id
    assert deployed.payload["number"] == 2 and deployed.payload["comment"] == "Thêm đại diện Đoàn"
    # The same content again is not a new version.
    again = _deploy(admin, _source().replace(CEREMONY_LABEL, NEW_CEREMONY_LABEL), "Lần nữa").get_json()
    assert again["ok"] and not again["created"] and again["number"] == 2 and len(_versions()) == 2


def test_deploy_refuses_a_broken_diagram_or_a_missing_comment_and_stores_nothing(as_user):
    admin = as_user("admin")
    before = len(events())
    refused = _deploy(admin, _source().replace('name="cell_secretary"', 'name="secretary"'), "Đổi tên làn")
    assert refused.status_code == 422
    assert [p["element_id"] for p in refused.get_json()["problems"]] == ["lane_cell_secretary"]
    no_comment = _deploy(admin, _source().replace(CEREMONY_LABEL, NEW_CEREMONY_LABEL), "   ")
    assert no_comment.status_code == 422 and no_comment.get_json()["message"] == "Trường này là bắt buộc."
    assert len(_versions()) == 1 and len(events()) == before


def test_the_editor_page_carries_the_diagram_and_the_choices_of_the_panel(as_user):
    page = as_user("admin").get("/admin/processes/edit/admission.bpmn")
    doc = html(page)
    assert doc.xpath("//textarea[@id='xml']/text()")[0].startswith("<?xml")
    assert "cell_secretary" in doc.xpath("//select[@id='p-role']/option/@value")
    assert "admin" not in doc.xpath("//select[@id='p-role']/option/@value")  # not a lane role
    assert "hold_ceremony" in doc.xpath("//select[@id='p-form']/option/@value")
    assert as_user("admin").get("/admin/processes/edit/hold_ceremony.schema.json").status_code == 404
    assert as_user("admin").get("/admin/processes/edit/nothing.bpmn").status_code == 404


# --- uploads ---------------------------------------------------------------------------------------

XXE = b"""<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL">&x;</bpmn:definitions>"""
BOMB = b"""<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">
<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;">]><bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL">&c;
</bpmn:definitions>"""
SVG = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><rect width="1" height="1"/></svg>'
TRUNCATED = _source().encode()[:5000]
BINARY = bytes(range(256)) * 40


def _upload(admin, files, comment="Tải từ Camunda Modeler", action="deploy"):
    data = {"files": [(io.BytesIO(content), name) for name, content in files], "comment": comment, "action": action}
    return admin.post("/admin/processes/upload", data, content_type="multipart/form-data")


@pytest.mark.parametrize("name, content, words", [
    ("admission.bpmn", XXE, "DOCTYPE"),
    ("admission.bpmn", BOMB, "DOCTYPE"),
    ("admission.bpmn", SVG, "không phải sơ đồ BPMN (phần tử gốc là <svg>"),
    ("admission.bpmn", TRUNCATED, "không phải XML đúng cú pháp"),
    ("admission.bpmn", b"", "Tệp trống."),
    ("admission.bpmn", BINARY, "không phải XML đúng cú pháp"),
    ("admission.bpmn", "<d>\u00e9</d>".encode("latin-1"), "không phải XML UTF-8 hợp lệ"),
    ("admission.bpmn", b"<a>" + b" " * (3 * 1024 * 1024) + b"</a>", "giới hạn là 2097152 byte"),
    ("rules.dmn", XXE, "DOCTYPE"),
])
def test_hostile_uploads_are_refused_with_a_clear_message_and_nothing_stored(as_user, name, content, words):
    admin = as_user("admin")
    before = len(events())
    response = _upload(admin, [(name, content)])
    assert response.status_code == 422
    problems = texts(response, "//*[@data-testid='problems']/li")
    assert len(problems) == 1 and words in problems[0] and name in problems[0], problems
    assert alerts(response)[0].startswith("Có 1 lỗi; chưa lưu gì.")
    assert len(_versions()) == 1 and len(events()) == before


def test_an_upload_larger_than_the_limit_is_refused_before_it_is_read(as_user):
    admin = as_user("admin")
    response = _upload(admin, [("admission.bpmn", b"<a>" + b" " * (50 * 1024 * 1024) + b"</a>")])
    assert response.status_code == 413
    assert "Tệp gửi lên lớn hơn giới hạn cho phép" in visible_text(response)
    assert len(_versions()) == 1


@pytest.mark.parametrize("name, words", [
    ("diagram.svg", "Chỉ nhận tệp sơ đồ .bpmn, bảng quyết định .dmn, biểu mẫu <tên>.schema.json"),
    ("admission.BPMN", "Chỉ nhận tệp sơ đồ .bpmn, bảng quyết định .dmn, biểu mẫu <tên>.schema.json"),
    ("sơ đồ.bpmn", "Tên tệp chỉ được gồm chữ cái không dấu"),
    ("../../etc/passwd.bpmn", None),  # the folders are dropped: passwd.bpmn, which is no process of ours
])
def test_uploads_with_wrong_names_are_refused(as_user, name, words):
    admin = as_user("admin")
    response = _upload(admin, [(name, _source().encode())])
    assert response.status_code == 422
    if words:
        assert any(words in error for error in texts(response, "//*[@data-testid='upload-error']"))
    assert len(_versions()) == 1


def test_nothing_chosen_is_said(as_user):
    response = _upload(as_user("admin"), [])
    assert response.status_code == 422
    assert texts(response, "//*[@data-testid='upload-error']") == ["Chưa chọn tệp nào."]


def test_a_good_upload_replaces_a_file_and_deploys_a_version(as_user):
    admin = as_user("admin")
    changed = _source().replace(CEREMONY_LABEL, NEW_CEREMONY_LABEL).encode()
    checked = _upload(admin, [("admission.bpmn", changed)], action="validate")
    assert checked.status_code == 200 and "Các tệp hợp lệ: có thể triển khai." in alerts(checked)
    assert len(_versions()) == 1
    no_comment = _upload(admin, [("admission.bpmn", changed)], comment="")
    assert no_comment.status_code == 422 and field_errors(no_comment, "comment") == ["Trường này là bắt buộc."]
    assert len(_versions()) == 1

    vote = _source("cell_vote.bpmn").replace("Chi bộ", "Chi bộ ", 1).encode()
    deployed = _upload(admin, [("admission.bpmn", changed), ("/home/ai/Desktop/cell_vote.bpmn", vote)])
    assert redirect_path(deployed) == "/admin/versions"
    page = admin.get("/admin/versions")
    assert "Đã triển khai phiên bản 2; các hồ sơ mới sẽ chạy theo phiên bản này." in alerts(page)
    second = _versions()[-1]
    files = {f.name: f.content for f in second.files}
    assert files["admission.bpmn"] == changed and files["cell_vote.bpmn"] == vote
    assert "hold_ceremony.schema.json" in files and "Desktop" not in str(sorted(files))
    assert second.comment == "Tải từ Camunda Modeler"


# --- versions and migration ------------------------------------------------------------------------


def test_versions_list_diff_and_activate(as_user):
    admin = as_user("admin")
    _deploy(admin, _source().replace(CEREMONY_LABEL, NEW_CEREMONY_LABEL), "Thêm đại diện Đoàn")
    first, second = _versions()
    page = admin.get("/admin/versions")
    rows = html(page).xpath("//table[@data-testid='versions']/tbody/tr")
    assert [row.get("data-version") for row in rows] == ["2", "1"]
    assert "Thêm đại diện Đoàn" in rows[0].text_content() and second.content_hash[:12] in rows[0].text_content()
    assert rows[0].xpath(".//*[@data-testid='active-badge']") and not rows[1].xpath(".//*[@data-testid='active-badge']")

    diff = admin.get(f"/admin/versions?old={first.id}&new={second.id}")
    assert texts(diff, "//*[@data-diff-file]//code") == ["admission.bpmn"]
    removed = texts(diff, "//*[@data-testid='diff']//span[@class='diff-del']")
    added = texts(diff, "//*[@data-testid='diff']//span[@class='diff-add']")
    assert any(CEREMONY_LABEL in line for line in removed) and any(NEW_CEREMONY_LABEL in line for line in added)
    assert "không có khác biệt" in visible_text(admin.get(f"/admin/versions?old={first.id}&new={first.id}"))
    assert admin.get("/admin/versions?old=999&new=1").status_code == 404

    activated = admin.post(f"/admin/versions/{first.id}/activate", {}, token_from="/admin/versions")
    assert redirect_path(activated) == "/admin/versions"
    assert alerts(admin.get("/admin/versions"))[0].startswith("Đã kích hoạt phiên bản 1")
    first, second = _versions()
    assert first.active and not second.active
    assert events("version_activated")[-1].payload == {"before": second.id, "after": first.id}


def test_the_migration_page_lists_safe_and_unsafe_cases_and_moves_the_safe_ones(as_user, start_case, driver):
    early = start_case("TQ-LN-THPT", citizen_id="001207000001")
    driver.run(early.id, until="write_application")
    late = start_case("TQ-LN-THPT", full_name="Lê Thị Hoa", citizen_id="001207000002")
    driver.run(late.id, until="hold_ceremony")
    admin = as_user("admin")
    _deploy(admin, _source().replace(CEREMONY_LABEL, NEW_CEREMONY_LABEL), "Thêm đại diện Đoàn")
    new = _versions()[-1]

    page = admin.get(f"/admin/versions/{new.id}/migration")
    doc = html(page)
    safe = doc.xpath(f"//tr[@data-case='{early.id}']")[0]
    unsafe = doc.xpath(f"//tr[@data-case='{late.id}']")[0]
    assert safe.get("data-safe") == "yes" and unsafe.get("data-safe") == "no"
    assert safe.xpath(".//input[@name='instance']/@checked") and not safe.xpath(".//input/@disabled")
    assert unsafe.xpath(".//input[@name='instance']/@disabled") and not unsafe.xpath(".//input/@checked")
    assert "Lê Thị Hoa" in unsafe.text_content() and "hold_ceremony" in unsafe.text_content()
    assert "đã thay đổi: tên bước" in unsafe.text_content()  # why it cannot move: the step it is at changed
    assert "bpmn_name" not in unsafe.text_content() and "changed" not in unsafe.text_content()  # in words

    moved = admin.post(f"/admin/versions/{new.id}/migration", {"instance": [str(early.id), str(late.id)]})
    assert redirect_path(moved) == f"/admin/versions/{new.id}/migration"
    after = admin.get(f"/admin/versions/{new.id}/migration")
    assert "Đã chuyển 1/2 hồ sơ sang phiên bản mới." in alerts(after)
    db.session.expire_all()
    assert db.session.get(ProcessInstance, early.id).version_id == new.id
    assert db.session.get(ProcessInstance, late.id).version_id != new.id
    assert [e.instance_id for e in events("case_migrated")] == [early.id]
    assert html(after).xpath(f"//tr[@data-case='{early.id}']") == []  # it is on the version now


# --- forms -----------------------------------------------------------------------------------------


def _form_sources(name="hold_ceremony"):
    return ((ROOT / "forms" / f"{name}.schema.json").read_text(encoding="utf-8"),
            (ROOT / "forms" / f"{name}.uischema.json").read_text(encoding="utf-8"))


def _preview(admin, schema, ui, name="hold_ceremony"):
    response = admin.post(f"/admin/forms/{name}/preview", {"schema": schema, "ui": ui},
                          token_from=f"/admin/forms/{name}")
    assert response.status_code == 200
    return response


def test_the_forms_list_and_editor_show_the_active_versions_forms(as_user):
    admin = as_user("admin")
    listed = html(admin.get("/admin/forms")).xpath("//*[@data-form]/@data-form")
    assert "hold_ceremony" in listed and "record_cell_vote" in listed and len(listed) == 28
    page = admin.get("/admin/forms/hold_ceremony")
    schema, ui = _form_sources()
    assert html(page).xpath("//textarea[@name='schema']/text()")[0].strip() == schema.strip()
    assert html(page).xpath("//textarea[@name='ui']/text()")[0].strip() == ui.strip()
    assert admin.get("/admin/forms/no_such_form").status_code == 404
    assert admin.get("/admin/forms/..%2Fsecret").status_code == 404


def test_the_preview_renders_the_fields_or_says_what_is_wrong(as_user):
    admin = as_user("admin")
    schema, ui = _form_sources()
    shown = _preview(admin, schema, ui.replace("Ngày tổ chức lễ kết nạp", "Ngày làm lễ"))
    assert texts(shown, "//*[@data-testid='preview-title']") == ["Tổ chức lễ kết nạp"]
    assert html(shown).xpath("//*[@data-field]/@data-field") == [
        "preview-ceremony_date", "preview-probation_helper_member", "preview-upper_consent_number"]
    assert texts(shown, "//*[@data-field='preview-ceremony_date']//label")[0].startswith("Ngày làm lễ")
    assert html(shown).xpath("//input[@name='preview-ceremony_date']/@type") == ["date"]
    without_ui = _preview(admin, schema, "")  # no UI hints: the labels are the field names
    assert texts(without_ui, "//*[@data-field='preview-ceremony_date']//label") == ["ceremony_date *"]

    for broken, words in [(schema.replace('"type": "object"', '"type": "array"', 1), "the top level must be"),
                          ("{", "hold_ceremony"), ("", "hold_ceremony"), ("\x00\xff", "hold_ceremony"),
                          (schema.replace('"format": "date"', '"format": "time"'), "format")]:
        error = texts(_preview(admin, broken, ui), "//*[@data-testid='preview-error']")
        assert len(error) == 1 and words in error[0], (broken[:40], error)


def test_saving_a_form_deploys_a_version_or_shows_the_problems(as_user):
    admin = as_user("admin")
    schema, ui = _form_sources()
    refused = admin.post("/admin/forms/hold_ceremony", {
        "schema": schema.replace('"type": "object"', '"type": "array"', 1), "ui": ui, "comment": "Hỏng"})
    assert refused.status_code == 422
    assert "hold_ceremony.schema.json" in texts(refused, "//*[@data-testid='problems']/li")[0]
    assert len(_versions()) == 1

    saved = admin.post("/admin/forms/hold_ceremony", {
        "schema": schema, "ui": ui.replace("Ngày tổ chức lễ kết nạp", "Ngày làm lễ"), "comment": "Đổi nhãn"})
    assert redirect_path(saved) == "/admin/forms/hold_ceremony"
    assert "Đã triển khai phiên bản 2" in alerts(admin.get("/admin/forms/hold_ceremony"))[0]
    files = {f.name: f.content for f in _versions()[-1].files}
    assert "Ngày làm lễ" in files["hold_ceremony.uischema.json"].decode()
    assert files["admission.bpmn"] == (ROOT / "processes" / "admission.bpmn").read_bytes()

    no_ui = admin.post("/admin/forms/hold_ceremony", {"schema": schema, "ui": "", "comment": "Bỏ gợi ý"})
    assert redirect_path(no_ui) == "/admin/forms/hold_ceremony"
    assert "hold_ceremony.uischema.json" not in {f.name for f in _versions()[-1].files}


# --- units -----------------------------------------------------------------------------------------


def _unit_fields(unit, **changes):
    fields = {"name": unit.name, "kind": unit.kind, "parent_id": str(unit.parent_id or ""),
              "deciding_unit_id": str(unit.deciding_unit_id or ""), "official_members": str(unit.official_members),
              "committee_members": str(unit.committee_members), "rule_set": unit.rule_set}
    if unit.delegated:
        fields["delegated"] = "y"
    return fields | changes


def test_the_unit_tree_shows_every_unit_indented(as_user, world):
    page = as_user("admin").get("/admin/units")
    rows = html(page).xpath("//table[@data-testid='unit-tree']/tbody/tr")
    assert len(rows) == 11 and rows[0].get("data-unit") == "TQ" and rows[0].get("data-depth") == "0"
    depth = {row.get("data-unit"): int(row.get("data-depth")) for row in rows}
    assert depth["TQ-DHTT-SP-SV"] == 3 and depth["TQ-CX-THPT-1"] == 3 and depth["TQ-LN-THPT"] == 2
    university = next(row for row in rows if row.get("data-unit") == "TQ-DHTT").text_content()
    assert "Đảng ủy cơ sở" in university and "Tỉnh ủy Tuyên Quang" in university and "có" in university


def test_adding_a_unit_and_refusing_a_duplicate_code(as_user, world):
    admin = as_user("admin")
    province = world.tree["province"].id
    data = {"parent_id": str(province), "kind": "commune", "name": "Đảng ủy xã Chiêm Hóa", "code": "TQ-XCH",
            "rule_set": "2025", "deciding_unit_id": "", "official_members": "0", "committee_members": "11"}
    added = admin.post("/admin/units", data)
    assert redirect_path(added) == "/admin/units"
    unit = db.session.execute(select(OrgUnit).where(OrgUnit.code == "TQ-XCH")).scalar_one()
    assert unit.parent_id == province and unit.committee_members == 11 and events("unit_created")[-1]
    again = admin.post("/admin/units", data | {"code": "tq-xch"})
    assert again.status_code == 422
    assert field_errors(again, "code") == ["Giá trị này đã được dùng; hãy chọn giá trị khác."]
    bad = admin.post("/admin/units", data | {"code": "TQ-X2", "official_members": "-3", "kind": "planet",
                                             "parent_id": "99999", "name": ""})
    assert bad.status_code == 422
    for field in ("official_members", "kind", "parent_id", "name"):
        assert field_errors(bad, field), field


def test_unit_edit_previews_the_impact_then_saves(as_user, world, start_case, driver):
    decided = start_case("TQ-CH-THPT", citizen_id="001207000010")
    driver.run(decided.id, until="hold_ceremony")
    waiting = start_case("TQ-CH-THPT", full_name="Trần Văn Minh", citizen_id="001207000011")
    driver.run(waiting.id, until="appraise_file")
    admin = as_user("admin")
    admin.post("/admin/units", {"parent_id": str(world.tree["province"].id), "kind": "commune",
                                "name": "Đảng ủy xã Chiêm Hóa", "code": "TQ-XCH", "rule_set": "2025",
                                "official_members": "0", "committee_members": "0"})
    commune = _id(OrgUnit, code="TQ-XCH")
    school = db.session.get(OrgUnit, world.cells["TQ-CH-THPT"].id)
    url = f"/admin/units/{school.id}"
    fields = _unit_fields(school, parent_id=str(commune), rule_set="2025")

    preview = admin.post(url, fields | {"action": "preview"})
    assert preview.status_code == 200
    assert texts(preview, "//*[@data-testid='impact-cases']") == ["2"]
    assert texts(preview, "//*[@data-testid='impact-rows']/tbody/tr/td") == [
        "Ban Tổ chức thẩm định hồ sơ", f"#{waiting.id}", "Huyện ủy Chiêm Hóa", "Đảng ủy xã Chiêm Hóa"]
    assert html(preview).xpath("//select[@name='parent_id']/option[@selected]/@value") == [str(commune)]
    db.session.expire_all()
    assert db.session.get(OrgUnit, school.id).parent_id != commune  # the preview changed nothing

    # The move hands an open step to another unit: it is saved as confirmed from this preview (issue 10).
    saved = admin.post(url, fields | {"action": "save", "impact_token": input_value(preview, "impact_token")})
    assert redirect_path(saved) == url
    assert alerts(admin.get(url)) == ["Đã lưu đơn vị Chi bộ Trường THPT Chiêm Hóa."]
    db.session.expire_all()
    moved = db.session.get(OrgUnit, school.id)
    assert moved.parent_id == commune and moved.rule_set == "2025"
    task = db.session.execute(select(HumanTask).where(HumanTask.instance_id == waiting.id,
                                                      HumanTask.status == "open")).scalar_one()
    assert task.unit_id == commune
    assert events("unit_changed")[-1].payload["after"]["parent_id"] == commune


def test_a_unit_cannot_move_under_itself(as_user, world):
    admin = as_user("admin")
    university = db.session.get(OrgUnit, world.tree["grassroots_committees"][1].id)
    page = admin.get(f"/admin/units/{university.id}")
    below = world.cells["TQ-DHTT-SP-SV"].id
    assert str(below) not in html(page).xpath("//select[@name='parent_id']/option/@value")  # not offered
    refused = admin.post(f"/admin/units/{university.id}",
                         _unit_fields(university, parent_id=str(below), action="save"))
    assert refused.status_code == 422 and field_errors(refused, "parent_id")
    db.session.expire_all()
    assert db.session.get(OrgUnit, university.id).parent_id == world.tree["province"].id


# --- users -----------------------------------------------------------------------------------------


def test_users_are_listed_with_their_roles(as_user):
    page = as_user("admin").get("/admin/users")
    row = html(page).xpath("//tr[@data-user='tq-ln-thpt.cell_secretary']")[0].text_content()
    assert "Bí thư chi bộ — Chi bộ Trường THPT Lộc Ninh" in " ".join(row.split())
    admin = as_user("admin")
    searched = admin.post("/admin/users/search", {"q": "AUDITOR"}, token_from="/admin/users")
    assert searched.status_code == 303 and "AUDITOR" not in searched.headers["Location"]
    found = admin.get(searched.headers["Location"])
    assert html(found).xpath("//tr/@data-user") == ["tq.auditor"]
    assert html(found).xpath("//input[@name='q']/@value") == ["AUDITOR"]
    moved = admin.get("/admin/users?q=Auditor")  # an old link: the name is moved out of the address
    assert moved.status_code == 303 and "Auditor" not in moved.headers["Location"]
    assert html(admin.get(moved.headers["Location"])).xpath("//tr/@data-user") == ["tq.auditor"]


def test_create_a_user_grant_and_revoke_a_role_deactivate_and_reset_the_password(as_user, world):
    admin = as_user("admin")
    refused = admin.post("/admin/users", {"username": "tq-ln-thpt.cell_secretary", "full_name": "Trùng Tên",
                                          "password": "mot-mat-khau-dai"})
    assert refused.status_code == 422
    assert field_errors(refused, "username") == ["Giá trị này đã được dùng; hãy chọn giá trị khác."]
    short = admin.post("/admin/users", {"username": "moi", "full_name": "Mới", "password": "ngan"})
    assert short.status_code == 422 and field_errors(short, "password") == ["Mật khẩu phải có ít nhất 10 ký tự."]

    created = admin.post("/admin/users", {"username": "tq-ln-thpt.verifier2", "full_name": "Hà Thị Thu",
                                          "password": "mot-mat-khau-dai"})
    user = db.session.execute(select(User).where(User.username == "tq-ln-thpt.verifier2")).scalar_one()
    assert redirect_path(created) == f"/admin/users/{user.id}"
    page = f"/admin/users/{user.id}"
    cell = world.cells["TQ-LN-THPT"].id

    granted = admin.post(f"{page}/roles", {"role": "verifier", "unit_id": str(cell)}, token_from=page)
    assert redirect_path(granted) == page
    shown = admin.get(page)
    assert alerts(shown) == ["Đã giao vai trò Người thẩm tra lý lịch."]
    assert texts(shown, "//*[@data-testid='roles']/tbody/tr/td[1]") == ["Người thẩm tra lý lịch"]
    twice = admin.post(f"{page}/roles", {"role": "verifier", "unit_id": str(cell)}, token_from=page)
    assert twice.status_code == 422 and field_errors(twice, "role") == ["Người dùng đã giữ vai trò này ở đơn vị này."]
    bogus = admin.post(f"{page}/roles", {"role": "king", "unit_id": "99999"}, token_from=page)
    assert bogus.status_code == 422 and field_errors(bogus, "role") and field_errors(bogus, "unit_id")

    assignment = _id(RoleAssignment, user_id=user.id)
    revoked = admin.post(f"{page}/roles/{assignment}/revoke", {}, token_from=page)
    assert redirect_path(revoked) == page
    assert alerts(admin.get(page)) == ["Đã thu hồi vai trò."]
    assert db.session.execute(select(RoleAssignment).where(RoleAssignment.user_id == user.id)).first() is None
    other = _id(RoleAssignment, user_id=world.users["auditor"].id)
    assert admin.post(f"{page}/roles/{other}/revoke", {}, token_from=page).status_code == 404  # not this user's

    assert redirect_path(admin.post(f"{page}/active", {"active": "0"}, token_from=page)) == page
    assert alerts(admin.get(page)) == ["Đã khóa tài khoản tq-ln-thpt.verifier2."]
    db.session.expire_all()
    assert not db.session.get(User, user.id).active
    admin.post(f"{page}/active", {"active": "1"}, token_from=page)
    db.session.expire_all()
    assert db.session.get(User, user.id).active

    too_short = admin.post(f"{page}/password", {"password": "ngan"}, token_from=page)
    assert too_short.status_code == 422 and field_errors(too_short, "password")
    reset = admin.post(f"{page}/password", {"password": "mat-khau-moi-2026"}, token_from=page)
    assert redirect_path(reset) == page and events("password_reset")[-1].payload == {"user_id": user.id}


def test_the_last_administrator_cannot_be_locked_out(as_user, world):
    admin = as_user("admin")
    me = world.users["admin"].id
    page = f"/admin/users/{me}"
    before = db_state()
    assert redirect_path(admin.post(f"{page}/active", {"active": "0"}, token_from=page)) == page
    message = "Đây là quản trị viên cuối cùng: không thể khóa tài khoản hay thu hồi vai trò quản trị."
    assert alerts(admin.get(page)) == [message]
    assignment = _id(RoleAssignment, user_id=me)
    assert redirect_path(admin.post(f"{page}/roles/{assignment}/revoke", {}, token_from=page)) == page
    assert alerts(admin.get(page)) == [message]
    assert db_state() == before
    db.session.expire_all()
    assert db.session.get(User, me).active


def test_the_demo_files_are_what_the_version_holds(version):
    """The tests above compare with processes/ and forms/: the deployed version is exactly those files."""
    assert {f.name: f.content for f in version.files} == files_from_directories(ROOT / "processes", ROOT / "forms")
