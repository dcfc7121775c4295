"""An administrator edits the diagram and a form in the browser, deploys versions, and grants a role.

The pages are read as the administrator reads them (messages, markers on the diagram, the preview);
the database is read only to check what a deployment stored.
"""
import re

from playwright.sync_api import expect

from webapp.extensions import db
from webapp.models import ProcessVersion, User

from .pages import SUCCESS

ADMIN = "admin"
NEW_LABEL = "Tổ chức lễ kết nạp (có đại diện Đoàn trường)"
EDITOR_READY = "#diagram-editor[data-state=ready]"
MARKED = re.compile(r"\bketnap-problem\b")  # the marker the editor puts on an element a problem names


def _open_editor(admin):
    page = admin.go("/admin/processes")
    page.get_by_role("row").filter(has_text="admission.bpmn").get_by_role("link", name="Sửa sơ đồ").click()
    page.wait_for_selector(EDITOR_READY, timeout=15_000)
    return page


def _find(page, element_id):
    page.get_by_test_id("find").fill(element_id)
    page.get_by_test_id("find").press("Enter")
    expect(page.get_by_test_id("panel-id")).to_have_text(element_id)


def test_admin_edits_the_diagram_sees_a_problem_fixes_it_and_deploys(person):
    admin = person(ADMIN)
    page = _open_editor(admin)
    admin.shot("admin-editor")

    # Find a script step by its id: the panel shows its script. Then select the ceremony step next
    # to it by clicking it on the canvas (near its top-left corner: flows cross the centres of
    # shapes); the panel shows its name and its form.
    _find(page, "start_probation")
    expect(page.get_by_test_id("p-script")).to_have_value(re.compile("probation_end = add_months"))
    page.locator("[data-element-id=hold_ceremony]").click(position={"x": 12, "y": 8})
    expect(page.get_by_test_id("panel-id")).to_have_text("hold_ceremony")
    expect(page.get_by_test_id("p-form")).to_have_value("hold_ceremony")
    page.get_by_test_id("p-name").fill(NEW_LABEL)
    expect(page.locator("[data-element-id=hold_ceremony] .djs-visual text")).to_contain_text("đại diện")

    page.get_by_test_id("validate").click()
    expect(page.get_by_test_id("editor-valid")).to_be_visible()

    # A broken change through the XML tab: a lane named after no role.
    page.get_by_test_id("tab-xml").click()
    xml = page.get_by_test_id("xml")
    source = xml.input_value()
    assert NEW_LABEL in source and 'name="cell_secretary"' in source
    # Pasted in one go, as a person pastes an edited file: Playwright's fill() types the 119 KB as
    # keyboard input, which Debian's chromium takes longer than the test's timeout to accept.
    xml.evaluate("(area, text) => { area.value = text; area.dispatchEvent(new Event('input', {bubbles: true})); }",
                 source.replace('name="cell_secretary"', 'name="secretary"'))
    page.get_by_test_id("apply-xml").click()
    expect(page.get_by_test_id("xml-applied")).to_be_visible()
    page.get_by_test_id("validate").click()
    expect(page.get_by_test_id("editor-problems")).to_be_visible()
    problem = page.locator("#problems li[data-problem-element=lane_cell_secretary]")
    expect(problem).to_contain_text("không phải vai trò đã biết")
    # The lane is highlighted on the diagram.
    expect(page.locator("[data-element-id=lane_cell_secretary]")).to_have_class(MARKED)
    admin.shot("admin-editor-problem")

    # Deploying it is refused with the same problem; nothing is stored.
    page.get_by_test_id("comment").fill("Thêm đại diện Đoàn vào lễ kết nạp")
    page.get_by_test_id("deploy").click()
    expect(page.get_by_test_id("editor-problems")).to_be_visible()
    assert db.session.query(ProcessVersion).count() == 1

    # Fix it in the panel: clicking the problem selects the lane; pick its role again.
    problem.click()
    expect(page.get_by_test_id("panel-id")).to_have_text("lane_cell_secretary")
    expect(page.get_by_test_id("p-role")).to_have_value("secretary")
    page.get_by_test_id("p-role").select_option("cell_secretary")
    page.get_by_test_id("validate").click()
    expect(page.get_by_test_id("editor-valid")).to_be_visible()
    expect(page.locator(".ketnap-problem")).to_have_count(0)

    page.get_by_test_id("deploy").click()
    expect(page.get_by_test_id("deploy-result")).to_have_text(
        "Đã triển khai phiên bản 2; các hồ sơ mới sẽ chạy theo phiên bản này.")
    admin.shot("admin-editor-deployed")
    db.session.expire_all()
    active = db.session.query(ProcessVersion).filter_by(active=True).one()
    assert active.number == 2 and active.comment == "Thêm đại diện Đoàn vào lễ kết nạp"
    content = {f.name: f.content for f in active.files}["admission.bpmn"].decode()
    assert NEW_LABEL in content and 'value="verification_places"' not in content
    assert "<bpmn:loopDataInputRef>verification_places</bpmn:loopDataInputRef>" in content

    # The versions page: version 2 is active; comparing 1 with 2 shows the changed label.
    page = admin.go("/admin/versions")
    expect(page.locator("tr[data-version='2'] [data-testid=active-badge]")).to_be_visible()
    page.get_by_test_id("diff-form").get_by_role("button", name="So sánh").click()
    expect(page.locator("[data-testid=diff] .diff-add").filter(has_text="đại diện Đoàn trường")).to_have_count(1)
    admin.shot("admin-versions-diff")


def test_admin_changes_the_form_of_a_user_task_in_the_panel(person):
    admin = person(ADMIN)
    page = _open_editor(admin)
    _find(page, "hold_ceremony")
    page.get_by_test_id("p-form").select_option("")
    page.get_by_test_id("validate").click()
    expect(page.locator("#problems li[data-problem-element=hold_ceremony]")).to_contain_text("chưa chọn biểu mẫu")
    expect(page.locator("[data-element-id=hold_ceremony]")).to_have_class(MARKED)
    page.get_by_test_id("p-form").select_option("plan_cell_meeting")
    page.get_by_test_id("tab-xml").click()
    source = page.get_by_test_id("xml").input_value()
    start = source.index('<bpmn:userTask id="hold_ceremony"')
    task = source[start:source.index("</bpmn:userTask>", start)]
    assert 'name="formJsonSchemaFilename" value="plan_cell_meeting.schema.json"' in task
    assert 'name="formUiSchemaFilename" value="plan_cell_meeting.uischema.json"' in task
    assert 'name="dueDateVariable" value="ceremony_deadline"' in task  # the other properties are kept


def test_admin_edits_a_form_with_a_live_preview(person):
    admin = person(ADMIN)
    page = admin.go("/admin/forms")
    page.get_by_role("link", name="hold_ceremony").click()
    preview = page.get_by_test_id("form-preview")
    expect(preview.locator("[data-field=preview-ceremony_date]")).to_be_visible()
    schema = page.locator("textarea[name=schema]")
    original = schema.input_value()

    schema.fill(original.replace('"type": "object"', '"type": "array"', 1))
    expect(preview.get_by_test_id("preview-error")).to_contain_text("the top level must be")
    admin.shot("admin-form-preview-error")

    ui = page.locator("textarea[name=ui]")
    schema.fill(original)
    ui.fill(ui.input_value().replace("Ngày tổ chức lễ kết nạp", "Ngày làm lễ kết nạp"))
    expect(preview.locator("[data-field=preview-ceremony_date] label")).to_contain_text("Ngày làm lễ kết nạp")
    admin.shot("admin-form-preview")

    page.locator("input[name=comment]").fill("Đổi nhãn ngày lễ kết nạp")
    page.get_by_test_id("save-form").click()
    expect(page.locator(SUCCESS)).to_contain_text("Đã triển khai phiên bản 2")


def test_admin_grants_a_role_to_a_user(person):
    admin = person(ADMIN)
    admin.go("/admin/units")
    admin.shot("admin-units")
    page = admin.go("/admin/users")
    page.get_by_role("link", name="tq-ln-thpt.introducer").click()
    expect(page.get_by_test_id("roles").locator("tbody tr")).to_have_count(1)
    form = page.get_by_test_id("grant-form")
    form.locator("select[name=role]").select_option("verifier")
    unit = form.locator("select[name=unit_id] option", has_text="(TQ-LN-THPT)")
    form.locator("select[name=unit_id]").select_option(unit.get_attribute("value"))
    form.get_by_role("button", name="Giao").click()
    expect(page.locator(SUCCESS)).to_have_text("Đã giao vai trò Người thẩm tra lý lịch.")
    granted = page.get_by_test_id("roles").locator("tr[data-role=verifier]")
    expect(granted).to_contain_text("Chi bộ Trường THPT Lộc Ninh")
    admin.shot("admin-user-roles")

    # Revoking asks first; answering no leaves the role in place.
    asked = []

    def answer(yes):
        def handle(dialog):
            asked.append(dialog.message)
            dialog.accept() if yes else dialog.dismiss()
        return handle

    page.once("dialog", answer(False))
    granted.get_by_test_id("revoke").click()
    expect(granted).to_be_visible()
    name = db.session.query(User.full_name).filter_by(username="tq-ln-thpt.introducer").scalar()
    assert asked == [f"Thu hồi vai trò Người thẩm tra lý lịch tại Chi bộ Trường THPT Lộc Ninh của {name}?"]
    page.once("dialog", answer(True))
    granted.get_by_test_id("revoke").click()
    expect(page.locator(SUCCESS)).to_have_text("Đã thu hồi vai trò.")
    expect(page.get_by_test_id("roles").locator("tr[data-role=verifier]")).to_have_count(0)
    # So does locking the account; opening it again does not.
    page.once("dialog", answer(True))
    page.get_by_test_id("toggle-active").click()
    expect(page.get_by_test_id("user-status")).to_contain_text("đã khóa")
    assert asked[-1] == f"Khóa tài khoản {name}? Người này sẽ không đăng nhập được nữa."
    page.get_by_test_id("toggle-active").click()
    expect(page.get_by_test_id("user-status")).to_contain_text("hoạt động")
    assert len(asked) == 3
