"""An administrator compares two versions on the diagram and retries a failed case (issue 15), in a browser."""
from pathlib import Path

import pytest
from playwright.sync_api import expect

from webapp.extensions import db
from webapp.services import StepFailed, files_from_directories
from webapp.services.versions import active_version, store_version

from .test_look import _publish

ROOT = Path(__file__).resolve().parents[2]
CEREMONY = 'name="Tổ chức lễ kết nạp, phân công đảng viên giúp đỡ"'.encode()
ANCHOR = b"# Counters and flags the later gateways read; set once so every path finds them."


def _second_version(script):
    files = files_from_directories(ROOT / "processes", ROOT / "forms")
    files["admission.bpmn"] = (files["admission.bpmn"].replace(CEREMONY, 'name="Tổ chức lễ kết nạp"'.encode())
                               .replace(ANCHOR, script))
    first = active_version().id
    second, _ = store_version(files, comment="đổi tên lễ kết nạp")  # stored as an older version could hold it
    db.session.commit()
    return first, second.id


def test_the_changed_elements_are_marked_on_both_drawings_and_the_table_shows_each_one(person):
    first, second = _second_version(b"course_attempts_note = 1")
    admin = person("admin", height=1000)
    page = admin.go(f"/admin/versions?old={first}&new={second}")
    canvas = page.locator(".compare-canvas")
    expect(canvas).to_have_attribute("data-shown", "new")
    expect(page.locator(".djs-element.ketnap-changed[data-element-id=hold_ceremony]")).to_have_count(1)
    expect(page.locator(".djs-element.ketnap-changed[data-element-id=initialise_case]")).to_have_count(1)
    expect(page.locator(".djs-element.ketnap-changed")).to_have_count(2)  # nothing else is marked
    # The lanes read as roles, not as the role ids the engine reads.
    expect(page.locator(".djs-element[data-element-id=lane_cell_secretary]")).to_contain_text("Bí thư chi bộ")

    row = page.locator("[data-testid=element-changes] tr[data-element=hold_ceremony]")
    expect(row).to_contain_text("trước đây: Tổ chức lễ kết nạp, phân công đảng viên giúp đỡ")
    row.get_by_role("button").click()
    expect(canvas).to_have_attribute("data-focused", "hold_ceremony")
    expect(page.locator(".djs-element.ketnap-focus[data-element-id=hold_ceremony]")).to_be_in_viewport()

    page.get_by_role("button", name="Phiên bản cũ (1)").click()
    expect(canvas).to_have_attribute("data-shown", "old")
    expect(page.get_by_role("button", name="Phiên bản cũ (1)")).to_have_attribute("aria-pressed", "true")
    expect(page.locator(".djs-element.ketnap-changed[data-element-id=hold_ceremony]")).to_contain_text(
        "phân công đảng viên giúp đỡ")
    _publish({"version-compare": admin.shot("readme-version-compare", full_page=False)})

    page.get_by_role("tab", name="Văn bản (XML, biểu mẫu)").click()
    expect(page.locator("#pane-text .diff-add").filter(has_text="Tổ chức lễ kết nạp")).to_have_count(1)


def test_an_administrator_retries_a_failed_case_and_the_step_is_open_again(person, start_case, driver):
    _second_version(b"x = name_nobody_set")
    case = start_case("TQ-LN-THPT", full_name="Trần Thị Lỗi")
    task = driver.run(case.id, until="add_to_sympathiser_list")[0]
    with pytest.raises(StepFailed):
        driver.complete(task)
    admin = person("admin")
    page = admin.go("/inbox")
    page.get_by_test_id("nav-operations").click()
    row = page.locator(f"[data-testid=failed-cases] tr[data-instance='{case.id}']")
    expect(row).to_contain_text("Trần Thị Lỗi")
    expect(row.get_by_test_id("reason")).to_have_text("mã của phần tử “initialise_case” gặp lỗi.")
    row.get_by_text("Chi tiết kỹ thuật").click()
    expect(row.locator("details code")).to_contain_text("name_nobody_set")
    _publish({"operations": admin.shot("readme-operations", full_page=False)})
    row.get_by_role("button", name=f"Chạy lại hồ sơ #{case.id}").click()
    expect(page.locator("main [role=alert].alert-success")).to_contain_text(f"Đã chạy lại hồ sơ #{case.id}")
    expect(page.get_by_test_id("no-failures")).to_be_visible()
