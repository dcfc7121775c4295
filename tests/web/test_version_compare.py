"""The comparison of two versions on the admin's versions page (issue 15): changed elements named and
listed for the drawing, the raw text kept as a second tab, files served as inert text, admins only."""
from .helpers import CEREMONY_LABEL, html, texts
from .helpers import process_source as _source
from .helpers import process_versions as _versions

NEW_NAME = 'name="Tổ chức lễ kết nạp"'


def _deploy(admin, xml, comment="Sửa sơ đồ"):
    answer = admin.post("/admin/processes/edit/admission.bpmn/deploy", {"xml": xml, "comment": comment},
                        token_from="/admin/processes/edit/admission.bpmn", headers={"Accept": "application/json"})
    assert answer.status_code == 200, answer.get_data(as_text=True)


def _changed_source():
    return (_source().replace(CEREMONY_LABEL, NEW_NAME)
            .replace('name="dueWorkingDays" value="30"', 'name="dueWorkingDays" value="20"', 1)
            .replace("course_attempts = 0", "course_attempts = 1"))


def test_the_comparison_lists_each_changed_element_and_marks_it_for_the_drawing(as_user):
    admin = as_user("admin")
    _deploy(admin, _changed_source())
    first, second = _versions()
    page = admin.get(f"/admin/versions?old={first.id}&new={second.id}")
    assert page.status_code == 200
    doc = html(page)
    card = doc.xpath("//*[@data-diagram-file='admission.bpmn']")[0]
    rows = {row.get("data-element"): (row.get("data-change"), texts(row, ".//*[@data-testid='aspects']")[0])
            for row in card.xpath(".//table[@data-testid='element-changes']/tbody/tr")}
    assert rows == {"hold_ceremony": ("changed", "tên"),
                    "nominate_student": ("changed", "thuộc tính (biểu mẫu, thời hạn, quy trình được gọi…)"),
                    "initialise_case": ("changed", "mã lệnh (kịch bản, điều kiện, hẹn giờ)")}
    ceremony = texts(card, ".//tr[@data-element='hold_ceremony']")[0]
    assert "trước đây: Tổ chức lễ kết nạp, phân công đảng viên giúp đỡ" in ceremony
    canvas = card.xpath(".//*[contains(@class, 'compare-canvas')]")[0]
    assert sorted(canvas.get("data-changed").split()) == ["hold_ceremony", "initialise_case", "nominate_student"]
    assert canvas.get("data-added") == "" and canvas.get("data-removed") == ""
    assert canvas.get("data-new-url") == f"/admin/versions/{second.id}/files/admission.bpmn"
    # Only the diagram that changed is drawn; the raw text stays, as the second tab.
    assert [c.get("data-diagram-file") for c in doc.xpath("//*[@data-diagram-file]")] == ["admission.bpmn"]
    assert doc.xpath("//*[@id='pane-text']//*[@data-diff-file='admission.bpmn']")
    assert doc.xpath("//*[@id='pane-diagram' and contains(@class, 'active')]")

    served = admin.get(canvas.get("data-new-url"))
    assert served.status_code == 200 and served.mimetype == "text/plain"
    assert "sandbox" in served.headers["Content-Security-Policy"]
    assert NEW_NAME in served.get_data(as_text=True)
    assert admin.get(f"/admin/versions/{first.id}/files/admission.bpmn").get_data(as_text=True) == _source()


def test_the_same_version_twice_says_no_difference_and_draws_nothing(as_user):
    admin = as_user("admin")
    version = _versions()[0]
    doc = html(admin.get(f"/admin/versions?old={version.id}&new={version.id}"))
    assert "không có khác biệt" in doc.xpath("string(//*[@data-testid='comparison'])")
    assert not doc.xpath("//*[@data-diagram-file]") and not doc.xpath("//script[contains(@src, 'version_compare')]")


def test_files_of_versions_are_for_administrators_only_and_unknown_ones_are_not_found(as_user):
    version = _versions()[0]
    for username in ("tq-ln-thpt.cell_secretary", "tq.auditor"):
        assert as_user(username).get(f"/admin/versions/{version.id}/files/admission.bpmn").status_code == 403
    admin = as_user("admin")
    assert admin.get(f"/admin/versions/{version.id}/files/nothing.bpmn").status_code == 404
    assert admin.get(f"/admin/versions/{version.id}/files/..%2Fsetup.cfg").status_code == 404
    assert admin.get("/admin/versions/99999/files/admission.bpmn").status_code == 404
    assert admin.get(f"/admin/versions?old=99999&new={version.id}").status_code == 404
