"""Issue 17: the administrator creates a new form in the forms editor, names it from a task in the
diagram editor, deploys, and the step's holder fills the new form in on the task page."""
import json
from datetime import date, timedelta

from playwright.sync_api import expect

from webapp.extensions import db
from webapp.models import ProcessVersion

from .pages import SUCCESS, open_task, submit_task

ADMIN = "admin"
YOUTH_UNION = "tq-ln-thpt.youth_union"
NOMINATE = "Giới thiệu đoàn viên ưu tú"
FORM = "nominate_with_opinion"
OPINION = "Ý kiến của Ban Chấp hành Đoàn"
EDITOR_READY = "#diagram-editor[data-state=ready]"


def _create_the_form(admin):
    """A new form from the forms list; then its fields: the nomination's own, and one more."""
    page = admin.go("/admin/forms/nominate_student")
    schema = json.loads(page.locator("textarea[name=schema]").input_value())
    schema["title"] = "Đoàn giới thiệu, kèm ý kiến của Ban Chấp hành"
    schema["properties"]["union_opinion"] = {"type": "string", "maxLength": 500, "title": OPINION}
    schema["required"] = [*schema["required"], "union_opinion"]
    ui = json.loads(page.locator("textarea[name=ui]").input_value())  # labels come from the UI hints
    ui["union_opinion"] = {"label": OPINION, "label_en": "Opinion of the Youth Union committee", "widget": "textarea"}
    ui["ui:order"] = [*ui["ui:order"], "union_opinion"]

    page = admin.go("/admin/forms")
    new = page.get_by_test_id("new-form")
    new.locator("input[name=name]").fill("ý kiến")  # refused under the field, nothing deployed
    new.locator("input[name=comment]").fill("Biểu mẫu giới thiệu có ý kiến của Đoàn")
    new.get_by_test_id("create-form").click()
    expect(page.locator("[data-field=name] .invalid-feedback")).to_contain_text("Tên biểu mẫu bắt đầu bằng chữ cái")
    new.locator("input[name=name]").fill(FORM)
    new.get_by_test_id("create-form").click()
    expect(page.locator(SUCCESS)).to_contain_text(f"Đã tạo biểu mẫu {FORM}. Đã triển khai phiên bản 2")
    expect(page.locator("h1")).to_contain_text(FORM)
    admin.shot("admin-new-form")

    page.locator("textarea[name=schema]").fill(json.dumps(schema, ensure_ascii=False, indent=2))
    page.locator("textarea[name=ui]").fill(json.dumps(ui, ensure_ascii=False, indent=2))
    expect(page.get_by_test_id("form-preview").locator("[data-field=preview-union_opinion]")).to_be_visible()
    page.locator("input[name=comment]").fill("Các trường của biểu mẫu mới")
    page.get_by_test_id("save-form").click()
    expect(page.locator(SUCCESS)).to_contain_text("Đã triển khai phiên bản 3")


def _name_it_from_the_task(admin):
    page = admin.go("/admin/processes/edit/admission.bpmn")
    page.wait_for_selector(EDITOR_READY, timeout=15_000)
    page.get_by_test_id("find").fill("nominate_student")
    page.get_by_test_id("find").press("Enter")
    expect(page.get_by_test_id("panel-id")).to_have_text("nominate_student")
    expect(page.get_by_test_id("p-form")).to_have_value("nominate_student")
    page.get_by_test_id("p-form").select_option(FORM)
    page.get_by_test_id("validate").click()
    expect(page.get_by_test_id("editor-valid")).to_be_visible()
    page.get_by_test_id("comment").fill("Bước giới thiệu dùng biểu mẫu mới")
    page.get_by_test_id("deploy").click()
    expect(page.get_by_test_id("deploy-result")).to_have_text(
        "Đã triển khai phiên bản 4; các hồ sơ mới sẽ chạy theo phiên bản này.")
    admin.shot("admin-task-names-new-form")


def test_a_new_form_created_named_from_the_modeler_deployed_and_filled_in(person, start_case):
    admin = person(ADMIN)
    _create_the_form(admin)
    _name_it_from_the_task(admin)
    db.session.expire_all()
    active = db.session.query(ProcessVersion).filter_by(active=True).one()
    files = {f.name: f.content for f in active.files}
    assert active.number == 4 and f"{FORM}.schema.json" in files
    assert f'value="{FORM}.schema.json"' in files["admission.bpmn"].decode()

    student = "Lê Thị Mai"
    start_case("TQ-LN-THPT", full_name=student)  # a new case: it runs on version 4
    union = person(YOUTH_UNION)
    page = open_task(union, student, NOMINATE)
    form = page.locator("[data-testid=task-form]")
    expect(form.locator("label", has_text=OPINION)).to_be_visible()
    union.shot("task-new-form")

    # Sent without the new required field: refused under it, the step stays open.
    form.locator("[name=nomination_number]").fill("21-CV/ĐTN")
    form.locator("[name=nomination_date]").fill((date.today() - timedelta(days=1)).isoformat())
    form.get_by_test_id("submit").click()
    expect(page.locator("[data-field=union_opinion]")).to_contain_text("Trường này là bắt buộc.")

    submit_task(page, student, NOMINATE, {
        "nomination_number": "21-CV/ĐTN", "nomination_date": date.today() - timedelta(days=1),
        "youth_union_member": True, "union_opinion": "Ban Chấp hành Đoàn trường nhất trí giới thiệu."})
