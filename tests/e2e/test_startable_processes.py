"""Issue 17 in the browser: the administrator opens a second process for one cell's secretaries, the
secretary chooses it on the "new case" page, the step's instructions show (a <script> in them as
text), and the modeler's side panel edits a step's instructions."""
import re
from pathlib import Path

from playwright.sync_api import expect

from webapp.extensions import db
from webapp.models import ProcessInstance, ProcessVersion, User
from webapp.services import deploy_replacements

from .pages import SUCCESS, fill_form

ROOT = Path(__file__).resolve().parents[2]
TWENTY = ROOT / "tests" / "data" / "foreign" / "twenty_steps"
EDITOR_READY = "#diagram-editor[data-state=ready]"


def _deploy_twenty_steps():
    admin = db.session.query(User).filter_by(username="admin").one()
    files = {p.name: p.read_bytes() for p in TWENTY.iterdir() if p.suffix in (".bpmn", ".json")}
    outcome = deploy_replacements(admin, files, "Quy trình 20 bước")
    assert not outcome.problems, outcome.problems
    db.session.commit()


def test_admin_opens_a_process_and_the_secretary_starts_it_and_reads_its_instructions(person):
    _deploy_twenty_steps()
    admin = person("admin")
    page = admin.go("/admin/processes")
    page.get_by_role("link", name="Quy trình được mở hồ sơ").click()
    card = page.locator("form[data-process=twenty_steps]")
    expect(card.get_by_test_id("state")).to_have_text("Không được mở hồ sơ")
    expect(page.locator("form[data-process=admission]").get_by_test_id("state")).to_have_text("Được mở hồ sơ")
    card.get_by_label("Cho phép mở hồ sơ theo quy trình này").check()
    card.get_by_label("Bí thư chi bộ", exact=True).check()
    card.get_by_label(re.compile("^Chỉ trong đơn vị")).fill("KHONG-CO")
    card.get_by_role("button", name="Lưu").click()
    expect(page.locator("main .alert-danger")).to_contain_text("Không có đơn vị với mã này.")
    card = page.locator("form[data-process=twenty_steps]")
    expect(card.get_by_label("Bí thư chi bộ", exact=True)).to_be_checked()  # what was chosen is kept
    card.get_by_label(re.compile("^Chỉ trong đơn vị")).fill("TQ-LN-THPT")
    card.get_by_role("button", name="Lưu").click()
    expect(page.locator(SUCCESS)).to_contain_text("Đã lưu quyền mở hồ sơ theo quy trình twenty_steps.")
    expect(page.locator("form[data-process=twenty_steps]").get_by_test_id("state")).to_have_text("Được mở hồ sơ")
    admin.shot("startable-processes")

    secretary = person("tq-ln-thpt.cell_secretary")
    page = secretary.go("/cases/new")
    choice = page.get_by_label("Quy trình", exact=True)
    expect(choice.locator("option")).to_have_text(["Kết nạp và công nhận đảng viên chính thức",
                                                   "Quy trình hai mươi bước"])
    choice.select_option(label="Quy trình hai mươi bước")
    fill_form(page.get_by_test_id("student-form"), {
        "full_name": "Lò Văn Pá", "date_of_birth": "2007-05-02", "citizen_id": "001207099887", "class_name": "12A3"})
    page.get_by_role("button", name="Thêm và mở hồ sơ").click()
    expect(page.locator(SUCCESS)).to_contain_text("Lò Văn Pá")
    instance = db.session.query(ProcessInstance).one()
    assert instance.process_id == "twenty_steps"

    page = secretary.go("/inbox")
    page.get_by_role("row").filter(has_text="Bước 1").get_by_role("link", name="Lò Văn Pá").click()
    instructions = page.get_by_test_id("instructions")
    expect(instructions.locator("strong")).to_have_text("hồ sơ")
    expect(instructions).to_contain_text("Kiểm tra hồ sơ của Lò Văn Pá.")
    expect(instructions.locator("li")).to_have_text(["Đơn", "Lý lịch"])
    secretary.shot("task-instructions")
    page.locator("[name=step_01_note]").fill("Đã kiểm tra")
    page.locator("[data-testid=task-form] button[type=submit]").first.click()
    expect(page.locator(SUCCESS)).to_be_visible()

    introducer = person("tq-ln-thpt.introducer")
    page = introducer.go("/inbox")
    page.get_by_role("row").filter(has_text="Bước 2").get_by_role("link", name="Lò Văn Pá").click()
    instructions = page.get_by_test_id("instructions")
    expect(instructions).to_contain_text("<script>alert('x')</script> Ghi nhận xét ngắn.")
    expect(instructions.locator("script")).to_have_count(0)
    expect(instructions.locator("em")).to_have_text("nhận xét")


def test_the_modeler_side_panel_edits_a_steps_instructions(person):
    _deploy_twenty_steps()
    admin = person("admin")
    page = admin.go("/admin/processes/edit/twenty_steps.bpmn")
    page.wait_for_selector(EDITOR_READY, timeout=15_000)
    page.get_by_test_id("find").fill("step01")
    page.get_by_test_id("find").press("Enter")
    expect(page.get_by_test_id("panel-id")).to_have_text("step01")
    expect(page.get_by_test_id("p-instructions")).to_have_value(re.compile(r"^Kiểm tra \*\*hồ sơ\*\*"))
    page.get_by_test_id("find").fill("step03")
    page.get_by_test_id("find").press("Enter")
    expect(page.get_by_test_id("panel-id")).to_have_text("step03")
    expect(page.get_by_test_id("p-instructions")).to_have_value("")
    page.get_by_test_id("p-instructions").fill("Đối chiếu **bản gốc** & <bản sao>\n\n- CCCD")
    page.get_by_test_id("comment").fill("Hướng dẫn cho bước 3")
    page.get_by_test_id("deploy").click()
    expect(page.get_by_test_id("deploy-result")).to_contain_text("Đã triển khai phiên bản")
    db.session.expire_all()
    active = db.session.query(ProcessVersion).filter_by(active=True).one()
    # (a form field's line breaks travel as CRLF, as for every diagram deployed from the editor)
    content = {f.name: f.content for f in active.files}["twenty_steps.bpmn"].decode().replace("\r\n", "\n")
    step03 = content[content.index('id="step03"'):content.index('id="step04"')]
    assert ("<spiffworkflow:instructionsForEndUser>Đối chiếu **bản gốc** &amp; &lt;bản sao&gt;\n\n- CCCD"
            "</spiffworkflow:instructionsForEndUser>") in step03
    assert "Kiểm tra **hồ sơ** của {{ student_name }}" in content  # the others kept as they were
